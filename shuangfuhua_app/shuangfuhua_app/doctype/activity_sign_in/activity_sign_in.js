// 扫码签到 (issue 16): staff link an unmatched sign-in to a person of the activity's organizations.
frappe.ui.form.on("Activity Sign In", {
	refresh(frm) {
		if (frm.doc.sheet_status !== "Confirmed" && frm.doc.match_status !== "Matched" && frm.perm[1] && frm.perm[1].read) {
			frm.add_custom_button(__("Link to a Person"), () => {
				frappe.call("shuangfuhua_app.signin.get_activity_organizations", { activity: frm.doc.activity }).then((r) => {
					const orgs = r.message || [];
					frappe.prompt(
						[
							{
								fieldname: "member",
								fieldtype: "Link",
								options: "Organization Member",
								label: __("Person"),
								reqd: 1,
								get_query: () => ({ filters: { organization: ["in", orgs], member_status: "Current Member" } }),
							},
						],
						(values) => {
							frappe
								.call("shuangfuhua_app.signin.resolve_sign_in", { sign_in: frm.doc.name, member: values.member })
								.then(() => frm.reload_doc());
						},
						__("Link to a Person"),
						__("Link")
					);
				});
			});
		}
		if (frm.doc.activity) {
			frm.add_custom_button(__("Open the Activity"), () => frappe.set_route("Form", "Incubation Activity", frm.doc.activity));
		}
	},
});
