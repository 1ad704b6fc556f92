// Annual Targets vs Actuals (issue 9): filters; the figures come from annual_targets_vs_actuals.py (scope and permlevels applied there).
frappe.query_reports["Annual Targets vs Actuals"] = {
	filters: [
		{fieldname: "service_center", label: __("Service Center"), fieldtype: "Link", options: "Service Center"},
		{fieldname: "township", label: __("Township or Street"), fieldtype: "Data"},
		{fieldname: "year", label: __("Year"), fieldtype: "Int", default: new Date().getFullYear()},
	],
};
