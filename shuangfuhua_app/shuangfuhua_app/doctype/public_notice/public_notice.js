// 入驻名单公示 (DB3301/T 0346—2021 §6.3)
frappe.ui.form.on("Public Notice", {
	refresh(frm) {
		if (frm.doc.docstatus === 0 && frm.doc.service_center) {
			frm.add_custom_button(__("Add Recommended Applications"), async () => {
				const listed = new Set((frm.doc.items || []).map((r) => r.application));
				const rows = await frappe.db.get_list("Incubation Application", {
					filters: { workflow_state: "Recommended", service_center: frm.doc.service_center },
					fields: ["name"],
					limit: 500,
				});
				rows.filter((r) => !listed.has(r.name)).forEach((r) => {
					frm.add_child("items", { application: r.name });
				});
				frm.refresh_field("items");
				frm.dirty();
			});
		}
	},
	start_date(frm) {
		frm.set_value("end_date", null); // computed on save from the working-day calendar
	},
});
