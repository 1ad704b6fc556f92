// Issue 17 §3: the explicit onboarding step that changes the site-wide sign-up and login
// settings (install leaves them as they were). System Manager only (the page's role and the
// server method both check).
frappe.pages["sfh-portal-signup"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({
		parent: wrapper,
		title: __("Open Portal Sign-up"),
		single_column: true,
	});
	const what = __(
		"Open portal self sign-up and login by mobile number: this changes the sign-up and login settings of the whole site."
	);
	$(page.body).html(`<div class="p-4"><p>${frappe.utils.escape_html(what)}</p></div>`);
	page.set_primary_action(__("Open Portal Sign-up"), () => {
		frappe.confirm(frappe.utils.escape_html(what), () => {
			frappe
				.call({ method: "shuangfuhua_app.portal.setup.open_portal_signup", type: "POST" })
				.then(() => frappe.show_alert({ message: __("Portal sign-up and mobile login are open."), indicator: "green" }));
		});
	});
};
