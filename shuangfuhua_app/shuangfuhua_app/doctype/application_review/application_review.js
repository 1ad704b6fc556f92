// 评审打分 (DB3301/T 0346—2021 §6.2.2)
frappe.ui.form.on("Application Review", {
	setup(frm) {
		frm.set_query("application", () => ({ filters: { workflow_state: "Panel Review" } }));
	},
});
