// Incubation Pipeline (issue 9): filters; the figures come from incubation_pipeline.py (scope and permlevels applied there).
frappe.query_reports["Incubation Pipeline"] = {
	filters: [
		{fieldname: "service_center", label: __("Service Center"), fieldtype: "Link", options: "Service Center"},
		{fieldname: "township", label: __("Township or Street"), fieldtype: "Data"},
		{fieldname: "community", label: __("Community"), fieldtype: "Link", options: "Community"},
		{fieldname: "development_stage", label: __("Development Stage"), fieldtype: "Select", options: ["", "Startup", "Growth", "Mature"]},
		{fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.year_start()},
		{fieldname: "to_date", label: __("End of Period"), fieldtype: "Date", default: frappe.datetime.year_end()},
		{fieldname: "view", label: __("View"), fieldtype: "Select", options: ["Applications by Month", "Days in Each State"], default: "Applications by Month"},
	],
};
