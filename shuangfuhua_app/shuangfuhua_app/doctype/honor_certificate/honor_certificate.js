// 荣誉证书 (DB3301/T 0346—2021 §8.1.3): anyone can check it at its verification page.
frappe.ui.form.on("Honor Certificate", {
	refresh(frm) {
		if (frm.doc.verification_url) {
			frm.add_custom_button(__("Open Verification Page"), () => window.open(frm.doc.verification_url));
		}
	},
});
