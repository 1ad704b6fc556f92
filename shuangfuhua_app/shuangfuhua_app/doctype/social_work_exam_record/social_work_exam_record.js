// 社会工作者职业资格考试记录 (DB3301/T 0346—2021 §7.3.5): pick a person of the record's organization.
frappe.ui.form.on("Social Work Exam Record", {
	setup(frm) {
		frm.set_query("member", () => ({
			filters: { organization: frm.doc.organization, member_status: "Current Member" },
		}));
	},
});
