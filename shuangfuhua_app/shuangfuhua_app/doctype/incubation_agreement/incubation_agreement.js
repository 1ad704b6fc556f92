// 入驻孵化协议 (DB3301/T 0346—2021 §6.4, §8.1.1)
frappe.ui.form.on("Incubation Agreement", {
	setup(frm) {
		frm.set_query("application", () => ({
			filters: { workflow_state: "Admitted", incubation_agreement: ["is", "not set"] },
		}));
	},
});
