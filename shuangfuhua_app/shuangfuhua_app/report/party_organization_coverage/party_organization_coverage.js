// Party Organization Coverage (issue 9): filters; the figures come from party_organization_coverage.py (scope and permlevels applied there).
frappe.query_reports["Party Organization Coverage"] = {
	filters: [
		{fieldname: "service_center", label: __("Service Center"), fieldtype: "Link", options: "Service Center"},
		{fieldname: "township", label: __("Township or Street"), fieldtype: "Data"},
		{fieldname: "community", label: __("Community"), fieldtype: "Link", options: "Community"},
		{fieldname: "development_stage", label: __("Development Stage"), fieldtype: "Select", options: ["", "Startup", "Growth", "Mature"]},
	],
};
