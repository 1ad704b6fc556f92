// 孵化服务活动 (DB3301/T 0346—2021 §7): bulk add participants from an organization's roster.
frappe.ui.form.on("Incubation Activity", {
	refresh(frm) {
		// only for those who change the activity and read who attends (R-PRIV; checked on the server too)
		if (frm.doc.docstatus === 0 && frm.perm[0] && frm.perm[0].write && frm.perm[1] && frm.perm[1].read) {
			add_roster_button(frm);
		}
		// issue 16: QR sign-in – the projector screen, the sheet and its confirmation (checked on the server too)
		if (!frm.is_new() && frm.perm[0] && frm.perm[0].write && frm.perm[1] && frm.perm[1].read) {
			add_signin_buttons(frm);
		}
		if (frm.doc.track_note) {
			frm.dashboard.set_headline_alert(frappe.utils.escape_html(frm.doc.track_note), "orange");
		}
	},
});

function add_roster_button(frm) {
	frm.add_custom_button(__("Add Participants from Roster"), () => {
		const dialog = new frappe.ui.Dialog({
			title: __("Add Participants from Roster"),
			fields: [
				{
					fieldname: "organization",
					fieldtype: "Link",
					options: "Community Social Organization",
					label: __("Organization Name"),
					reqd: 1,
					get_query: () => ({ filters: { service_center: frm.doc.service_center } }),
				},
				{
					fieldname: "role",
					fieldtype: "Select",
					label: __("Only People with the Role"),
					options: [
						{ value: "", label: __("Everyone") },
						{ value: "is_party_member", label: __("Party Member") },
						{ value: "is_party_affairs_worker", label: __("Party Affairs Worker") },
						{ value: "is_business_leader", label: __("Business Leader") },
						{ value: "is_reserve", label: __("Reserve Talent") },
						{ value: "is_backbone", label: __("Backbone Member") },
						{ value: "is_head", label: __("Head of the Organization") },
					],
				},
			],
			primary_action_label: __("Add"),
			primary_action(values) {
				frm.call("add_participants_from_roster", values).then((r) => {
					dialog.hide();
					frm.dirty();
					frm.refresh_fields();
					frappe.show_alert({
						message: __("{0} participants added", [r.message || 0]),
						indicator: "green",
					});
				});
			},
		});
		dialog.show();
	});
}

function add_signin_buttons(frm) {
	const group = __("QR Sign-in");
	frm.add_custom_button(
		__("Sign-in Screen"),
		() => window.open(`/activity-signin-screen?activity=${encodeURIComponent(frm.doc.name)}`, "_blank"),
		group
	);
	frm.add_custom_button(
		__("Sign-in Sheet"),
		() => frappe.set_route("List", "Activity Sign In", { activity: frm.doc.name }),
		group
	);
	frm.add_custom_button(
		__("Confirm Sign-in Sheet"),
		() => {
			frappe.confirm(__("Confirmed sign-ins become participant rows and count for the quotas. Continue?"), () => {
				frappe
					.call("shuangfuhua_app.signin.confirm_sheet", { activity: frm.doc.name })
					.then((r) => {
						frm.reload_doc();
						frappe.msgprint((r.message && r.message.message) || "");
					});
			});
		},
		group
	);
}
