// Center Compliance Matrix (issue 9): filters; the findings come from shuangfuhua_app.center (scope applied there).
frappe.query_reports["Center Compliance Matrix"] = {
	filters: [
		{fieldname: "service_center", label: __("Service Center"), fieldtype: "Link", options: "Service Center"},
		{fieldname: "township", label: __("Township or Street"), fieldtype: "Data"},
		{fieldname: "year", label: __("Year"), fieldtype: "Int", default: new Date().getFullYear()},
	],
};
