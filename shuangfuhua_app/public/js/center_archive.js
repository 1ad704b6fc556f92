// Issue 16 §3: the archives of all the center's organizations as one zip, built by a background
// job (long queue); the form shows its progress and, once done, the download
// (shuangfuhua_app.archive.start_center_archive / center_archive_status).
frappe.ui.form.on("Service Center", {
	refresh(frm) {
		if (frm.is_new() || !frappe.user.has_role(["Center Staff", "Center Head", "System Manager"])) return;
		frm.add_custom_button(__("Archives of all organizations (zip)"), () => {
			frappe.call({
				method: "shuangfuhua_app.archive.start_center_archive",
				args: { service_center: frm.doc.name },
				callback(r) {
					frappe.show_alert({ message: __("The archives are being prepared in the background."), indicator: "blue" });
					sfh_watch_center_archive(frm, r.message);
				},
			});
		});
		// a job started earlier (by anyone of the center) is shown again
		frappe.call({
			method: "shuangfuhua_app.archive.center_archive_status",
			args: { service_center: frm.doc.name },
			callback(r) {
				const s = r.message || {};
				if (s.status === "queued" || s.status === "running") sfh_watch_center_archive(frm, s);
				if (s.status === "done" && s.file_url) sfh_show_center_archive(frm, s);
			},
		});
	},
});

function sfh_watch_center_archive(frm, status) {
	const title = __("Archives of the organizations");
	const show = (s) => {
		if (s.status === "done") {
			frappe.hide_progress();
			sfh_show_center_archive(frm, s);
			frappe.show_alert({ message: __("The archives are ready."), indicator: "green" });
			return true;
		}
		if (s.status === "failed") {
			frappe.hide_progress();
			frappe.msgprint({ title, message: __("The archives could not be prepared."), indicator: "red" });
			return true;
		}
		const total = s.total || 0;
		frappe.show_progress(
			title,
			s.done || 0,
			total || 1,
			s.status === "running" ? __("{0} of {1} organizations", [s.done || 0, total]) : __("Waiting for the background job to start")
		);
		return false;
	};
	if (show(status || {})) return;
	if (frm.__sfh_archive_timer) clearInterval(frm.__sfh_archive_timer);
	const center = frm.doc.name;
	frm.__sfh_archive_timer = setInterval(() => {
		if (cur_frm !== frm || frm.doc.name !== center) return clearInterval(frm.__sfh_archive_timer);
		frappe.call({
			method: "shuangfuhua_app.archive.center_archive_status",
			args: { service_center: center },
			callback(r) {
				if (show(r.message || {})) clearInterval(frm.__sfh_archive_timer);
			},
		});
	}, 2000);
}

function sfh_show_center_archive(frm, s) {
	frm.dashboard.set_headline(
		`${__("Archives of all organizations")}: <a href="${encodeURI(s.file_url)}" target="_blank">${__("Download the zip")}</a>` +
			(s.finished_on ? ` <span class="text-muted">(${frappe.datetime.str_to_user(s.finished_on)})</span>` : "")
	);
}
