// Periodic Evaluation Results (issue 9): filters; the figures come from periodic_evaluation_results.py (scope and permlevels applied there).
frappe.query_reports["Periodic Evaluation Results"] = {
	filters: [
		{fieldname: "service_center", label: __("Service Center"), fieldtype: "Link", options: "Service Center"},
		{fieldname: "township", label: __("Township or Street"), fieldtype: "Data"},
		{fieldname: "community", label: __("Community"), fieldtype: "Link", options: "Community"},
		{fieldname: "development_stage", label: __("Development Stage"), fieldtype: "Select", options: ["", "Startup", "Growth", "Mature"]},
		{fieldname: "year", label: __("Year"), fieldtype: "Int", default: new Date().getFullYear()},
		{fieldname: "evaluation_type", label: __("Evaluation Type"), fieldtype: "Select", options: ["Annual Service Evaluation", "Project Evaluation", "Credit Evaluation"], default: "Annual Service Evaluation"},
	],
};
