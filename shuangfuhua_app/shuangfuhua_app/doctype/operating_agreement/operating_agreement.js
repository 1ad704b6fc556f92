// 运营委托协议: the operator's qualification, quarterly financial reports, annual evaluations
// and the negative list ([LW2021]), computed by shuangfuhua_app.center.get_operator_compliance.
frappe.ui.form.on("Operating Agreement", {
	refresh(frm) {
		if (frm.is_new()) return;
		frappe.call("shuangfuhua_app.center.get_operator_compliance", { agreement: frm.doc.name }).then((r) => {
			frm.dashboard.wrapper.find(".sfh-operator-compliance").remove();
			const section = frm.dashboard.add_section(r.message.html, __("Operator's Standing"));
			section.addClass("sfh-operator-compliance");
			frm.dashboard.show();
		});
		if (frm.doc.termination_clause) {
			frm.dashboard.set_headline_alert(frappe.utils.escape_html(frm.doc.termination_clause), "red");
		}
		frm.add_custom_button(__("Financial Report"), () => {
			frappe.new_doc("Operator Financial Report", { operating_agreement: frm.doc.name });
		}, __("Create"));
		frm.add_custom_button(__("Performance Evaluation"), () => {
			frappe.new_doc("Operator Performance Evaluation", { operating_agreement: frm.doc.name });
		}, __("Create"));
	},
});
