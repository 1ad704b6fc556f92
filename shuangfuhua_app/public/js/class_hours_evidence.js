// Issue 16 §4: the evidence of the organization's class hours on its form – this year's training
// class hours of its people from confirmed QR sign-ins and typed (shuangfuhua_app.evidence).
frappe.ui.form.on("Community Social Organization", {
	refresh(frm) {
		if (frm.is_new()) return;
		frappe.call({
			method: "shuangfuhua_app.evidence.get_class_hours_evidence",
			args: { organization: frm.doc.name },
			callback(r) {
				if (r.message && r.message.hours > 0) {
					frm.dashboard.add_comment(frappe.utils.escape_html(r.message.text), "blue", true);
				}
			},
		});
	},
});
