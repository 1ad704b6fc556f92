// R-FILE ([10M] 第二条 档案（一）–（五）), issue 16 §3: "Download archive" on the organization's form –
// one PDF with what the user may read (shuangfuhua_app.archive.download_archive).
frappe.ui.form.on("Community Social Organization", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Download archive"), () => {
			const params = new URLSearchParams({ organization: frm.doc.name });
			window.open(`/api/method/shuangfuhua_app.archive.download_archive?${params.toString()}`);
		});
	},
});
