// Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
frappe.ui.form.on("Admission List", {
	refresh(frm) {
		if (!frm.doc.submitted_on && frm.has_perm("write") && !frm.is_new()) {
			frm.add_custom_button(__("Get Recommended Applications"), () => {
				frm.call("get_recommended_applications").then(() => frm.reload_doc());
			});
		}
	},
});
