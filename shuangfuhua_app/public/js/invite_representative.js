// Staff invite an organization's representative (portal user), or re-link an existing one.
frappe.ui.form.on("Community Social Organization", {
	refresh(frm) {
		if (frm.is_new() || !frappe.user.has_role(["Center Staff", "Center Head", "System Manager"])) return;
		frm.add_custom_button(__("Invite Representative"), () => {
			const dialog = new frappe.ui.Dialog({
				title: __("Invite Representative"),
				fields: [
					{ fieldname: "email", fieldtype: "Data", options: "Email", label: __("Email"), reqd: 1 },
					{ fieldname: "full_name", fieldtype: "Data", label: __("Full Name") },
					{ fieldname: "mobile_no", fieldtype: "Data", label: __("Mobile phone") },
				],
				primary_action_label: __("Invite"),
				primary_action(values) {
					frappe.call({
						method: "shuangfuhua_app.portal.representatives.invite_representative",
						args: { organization: frm.doc.name, ...values },
						freeze: true,
						callback(r) {
							dialog.hide();
							frappe.show_alert({
								message: r.message.created
									? __("An invitation was sent to {0}", [r.message.user])
									: __("{0} now represents this organization", [r.message.user]),
								indicator: "green",
							});
							frm.reload_doc();
						},
					});
				},
			});
			dialog.show();
		});
	},
});
