// Registration Steering Candidates ([10M] 第二条, R-REG-STEER): figures from registration_steering_candidates.py (scope applied there).
frappe.query_reports["Registration Steering Candidates"] = {
	filters: [
		{fieldname: "service_center", label: __("Service Center"), fieldtype: "Link", options: "Service Center"},
		{fieldname: "community", label: __("Community"), fieldtype: "Link", options: "Community"},
		{fieldname: "as_of", label: __("As Of"), fieldtype: "Date", default: frappe.datetime.get_today()},
		{fieldname: "show_all", label: __("Show All Filed Organizations"), fieldtype: "Check"},
	],
};
