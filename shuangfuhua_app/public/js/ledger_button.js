// R-LEDGER: "Semi-annual Ledger" on the Service Center form downloads the center's work ledger
// (.xlsx, one sheet per topic) for a year and half-year (shuangfuhua_app.ledger.export_ledger).
frappe.ui.form.on("Service Center", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Semi-annual Ledger"), () => {
			const today = new Date();
			const d = new frappe.ui.Dialog({
				title: __("Semi-annual Work Ledger"),
				fields: [
					{ fieldname: "year", label: __("Year"), fieldtype: "Int", reqd: 1, default: today.getFullYear() },
					{
						fieldname: "half",
						label: __("Half-year"),
						fieldtype: "Select",
						reqd: 1,
						options: [
							{ value: "1", label: __("First Half (January–June)") },
							{ value: "2", label: __("Second Half (July–December)") },
						],
						default: today.getMonth() < 6 ? "1" : "2",
					},
				],
				primary_action_label: __("Download"),
				primary_action(values) {
					const params = new URLSearchParams({
						service_center: frm.doc.name,
						year: values.year,
						half: values.half,
					});
					window.open(`/api/method/shuangfuhua_app.ledger.export_ledger?${params.toString()}`);
					d.hide();
				},
			});
			d.show();
		});
	},
});
