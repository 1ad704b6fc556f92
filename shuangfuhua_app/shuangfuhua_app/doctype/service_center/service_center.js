// 社会组织服务中心: its compliance with §4 of DB3301/T 0346—2021, clause by clause, computed
// from the record and its operating agreement (shuangfuhua_app.center.get_compliance).
frappe.ui.form.on("Service Center", {
	refresh(frm) {
		if (frm.is_new()) return;
		const show = (year) =>
			frappe
				.call("shuangfuhua_app.center.get_compliance", { service_center: frm.doc.name, year: year })
				.then((r) => {
					frm.dashboard.wrapper.find(".sfh-center-compliance").remove();
					const section = frm.dashboard.add_section(r.message.html, __("Compliance with §4 of the Standard"));
					section.addClass("sfh-center-compliance");
					frm.dashboard.show();
				});
		show();
		frm.add_custom_button(__("Funds of Another Year"), () => {
			frappe.prompt(
				{ fieldname: "year", fieldtype: "Int", label: __("Year"), reqd: 1 },
				(values) => show(values.year),
				__("Compliance with §4 of the Standard")
			);
		});
		frm.add_custom_button(__("Operating Agreement"), () => {
			frappe.new_doc("Operating Agreement", { service_center: frm.doc.name });
		}, __("Create"));
	},
});
