// Exit Levels by Year (issue 9): filters; the figures come from exit_levels_by_year.py (scope applied there).
frappe.query_reports["Exit Levels by Year"] = {
	filters: [
		{fieldname: "service_center", label: __("Service Center"), fieldtype: "Link", options: "Service Center"},
		{fieldname: "township", label: __("Township or Street"), fieldtype: "Data"},
		{fieldname: "community", label: __("Community"), fieldtype: "Link", options: "Community"},
		{fieldname: "development_stage", label: __("Development Stage"), fieldtype: "Select", options: ["", "Startup", "Growth", "Mature"]},
	],
};
