// District Comparison of Centers (issue 9): filters; the figures come from district_comparison_of_centers.py (scope and permlevels applied there).
frappe.query_reports["District Comparison of Centers"] = {
	filters: [
		{fieldname: "township", label: __("Township or Street"), fieldtype: "Data"},
		{fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.year_start()},
		{fieldname: "to_date", label: __("End of Period"), fieldtype: "Date", default: frappe.datetime.year_end()},
	],
};
