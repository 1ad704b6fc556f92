// R-X-IMPORT: in the list views of organizations, people and activities, center staff download the
// Excel template with Chinese headers (shuangfuhua_app.data_import.download_template) and start a
// Data Import of the filled-in file. Appended to each of the three list views' scripts (hooks.py
// doctype_list_js), so it runs once per DocType and adds to what their own scripts set.
(() => {
	const doctypes = ["Community Social Organization", "Organization Member", "Incubation Activity"];
	const roles = ["Center Staff", "Center Head", "System Manager"];
	for (const doctype of doctypes) {
		const settings = (frappe.listview_settings[doctype] = frappe.listview_settings[doctype] || {});
		if (settings.__sfh_import_buttons) continue;
		settings.__sfh_import_buttons = true;
		const previous = settings.onload;
		settings.onload = function (listview) {
			if (previous) previous.call(this, listview);
			if (!roles.some((r) => frappe.user.has_role(r)) || !frappe.model.can_import(doctype)) return;
			listview.page.add_inner_button(
				__("Download Import Template"),
				() =>
					window.open(
						`/api/method/shuangfuhua_app.data_import.download_template?doctype=${encodeURIComponent(doctype)}`
					),
				__("Import from Excel")
			);
			listview.page.add_inner_button(
				__("Import the Filled-in Template"),
				() => frappe.new_doc("Data Import", { reference_doctype: doctype, import_type: "Insert New Records" }),
				__("Import from Excel")
			);
		};
	}
})();
