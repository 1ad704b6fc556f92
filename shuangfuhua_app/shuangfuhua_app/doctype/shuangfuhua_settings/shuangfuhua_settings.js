// Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
// R-SETTINGS (issue 14 §6): the settings the seeds leave open and this site changed are
// flagged on the form (the server computes them: standard.settings.open_setting_flags);
// values a seed forbids never get here – the server refuses them on save.
frappe.ui.form.on("Shuangfuhua Settings", {
	refresh(frm) {
		const flags = (frm.doc.__onload || {}).standard_flags || [];
		frm.dashboard.clear_comment();
		flags.forEach((message) => frm.dashboard.add_comment(frappe.utils.escape_html(message), "orange", true));
	},
});
