// 社区社会组织: its standing against every quota of DB3301/T 0346—2021 §7, computed from
// the activities and the roster (shuangfuhua_app.incubation.get_compliance), never typed.
frappe.ui.form.on("Community Social Organization", {
	refresh(frm) {
		if (frm.is_new()) return;
		const show = (year) =>
			frappe
				.call("shuangfuhua_app.incubation.get_compliance", {
					organization: frm.doc.name,
					year: year,
				})
				.then((r) => {
					frm.dashboard.wrapper.find(".sfh-compliance-section").remove();
					const section = frm.dashboard.add_section(r.message.html, __("Compliance with the Standard"));
					section.addClass("sfh-compliance-section");
					frm.dashboard.show();
				});
		show();
		frm.add_custom_button(__("Compliance of Another Year"), () => {
			frappe.prompt(
				{ fieldname: "year", fieldtype: "Int", label: __("Year"), reqd: 1 },
				(values) => show(values.year),
				__("Compliance with the Standard")
			);
		});
		frm.add_custom_button(__("New Activity"), () => {
			frappe.new_doc("Incubation Activity", { service_center: frm.doc.service_center }, (doc) => {
				const row = frappe.model.add_child(doc, "organizations");
				row.organization = frm.doc.name;
			});
		}, __("Create"));
		frm.add_custom_button(__("Organization Member"), () => {
			frappe.new_doc("Organization Member", { organization: frm.doc.name });
		}, __("Create"));
	},
});
