// 入驻孵化申请 (DB3301/T 0346—2021 §6)
frappe.ui.form.on("Incubation Application", {
	refresh(frm) {
		if (frm.doc.party_finding && frm.doc.party_finding.startsWith("⚠")) {
			frm.dashboard.set_headline_alert(frappe.utils.escape_html(frm.doc.party_finding), "orange");
		}
		if (frm.doc.workflow_state === "Panel Review" && frm.doc.review_panel) {
			frm.add_custom_button(__("Score this Application"), () => {
				frappe.new_doc("Application Review", { application: frm.doc.name });
			});
		}
		if (frm.doc.workflow_state === "Admitted" && !frm.doc.incubation_agreement) {
			frm.add_custom_button(__("Create Incubation Agreement"), () => {
				frappe.new_doc("Incubation Agreement", { application: frm.doc.name });
			}).addClass("btn-primary");
		}
	},
});
