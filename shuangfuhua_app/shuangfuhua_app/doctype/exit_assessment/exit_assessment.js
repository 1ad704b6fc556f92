// 出壳能力评估 (DB3301/T 0346—2021 §8.1): measured indicators come from the records on every
// save of the draft and are frozen on submission; after the final confirmation of a result
// that is Not Up to Standard the staff choose to re-sign or to end the incubation (§8.1.2).
frappe.ui.form.on("Exit Assessment", {
	setup(frm) {
		frm.set_query("incubation_agreement", () => ({
			filters: { docstatus: 1, exit_outcome: ["is", "not set"] },
		}));
		frm.set_query("template", () => ({ filters: { is_active: 1 } }));
	},
	refresh(frm) {
		if (frm.doc.docstatus === 1 && frm.doc.workflow_state === "Finally Confirmed"
			&& frm.doc.level === "Not Up to Standard" && !frm.doc.outcome) {
			frm.add_custom_button(__("Re-sign Agreement"), () => {
				frappe.confirm(__("Draft a new incubation agreement (a new cycle) linked to the old one? (DB3301/T 0346—2021 §8.1.2)"), () =>
					frappe.call("shuangfuhua_app.exit.resign_agreement", { assessment: frm.doc.name }).then((r) => {
						frappe.set_route("Form", "Incubation Agreement", r.message);
					})
				);
			}, __("Outcome"));
			frm.add_custom_button(__("End Incubation"), () => {
				frappe.prompt(
					{ fieldname: "note", fieldtype: "Small Text", label: __("Reason"), reqd: 1 },
					(values) => frappe.call("shuangfuhua_app.exit.end_incubation", { assessment: frm.doc.name, note: values.note })
						.then(() => frm.reload_doc()),
					__("End Incubation")
				);
			}, __("Outcome"));
		}
	},
});
