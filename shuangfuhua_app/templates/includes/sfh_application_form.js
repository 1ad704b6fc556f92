// Translations of the party-member table's columns (the Web Form sends only its own fields').
Object.assign(frappe._messages || (frappe._messages = {}), {{ sfh_messages | tojson }});

frappe.ready(function () {
	// State of the application, the center's comments, and whether it can still be changed.
	const info = {{ sfh_info | tojson if sfh_info else "null" }};
	if (!info) return;
	const head = document.querySelector(".web-form-head");
	if (!head) return;
	const box = document.createElement("div");
	box.className = "sfh-form-status";
	const add = (cls, text) => {
		const p = document.createElement("p");
		p.className = cls;
		p.textContent = text;
		box.appendChild(p);
	};
	add("sfh-state", info.labels.state + "：" + info.state);
	if (info.returned_comment) {
		add("sfh-returned-title", info.labels.returned);
		add("sfh-returned", info.returned_comment);
	}
	if (info.locked_message) add("sfh-locked", info.locked_message);
	const back = document.createElement("a");
	back.href = "/my-incubation";
	back.textContent = info.labels.back;
	box.appendChild(back);
	head.appendChild(box);
});
