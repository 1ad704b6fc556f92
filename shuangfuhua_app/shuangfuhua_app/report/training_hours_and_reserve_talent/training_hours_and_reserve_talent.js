// Training Hours and Reserve Talent (issue 9): filters; the figures come from training_hours_and_reserve_talent.py (scope and permlevels applied there).
frappe.query_reports["Training Hours and Reserve Talent"] = {
	filters: [
		{fieldname: "service_center", label: __("Service Center"), fieldtype: "Link", options: "Service Center", reqd: 1, default: frappe.defaults.get_user_default("Service Center")},
		{fieldname: "township", label: __("Township or Street"), fieldtype: "Data"},
		{fieldname: "community", label: __("Community"), fieldtype: "Link", options: "Community"},
		{fieldname: "development_stage", label: __("Development Stage"), fieldtype: "Select", options: ["", "Startup", "Growth", "Mature"]},
		{fieldname: "year", label: __("Year"), fieldtype: "Int", default: new Date().getFullYear()},
	],
};
