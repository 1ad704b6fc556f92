// Shared by the portal's Web Forms of "Report and Ask" (rendered with the form's context):
// the translations of the form's fields, and a box with what the center has said.
Object.assign(frappe._messages || (frappe._messages = {}), {{ sfh_messages | tojson }});

frappe.ready(function () {
	const info = {{ sfh_info | tojson if sfh_info else "null" }};
	const back = {{ sfh_back | tojson if sfh_back else "null" }};
	const head = document.querySelector(".web-form-head");
	if (!head) return;
	const box = document.createElement("div");
	box.className = "sfh-form-status";
	const add = (cls, label, text) => {
		const p = document.createElement("p");
		p.className = cls || "";
		if (label) {
			const strong = document.createElement("strong");
			strong.textContent = label + "：";
			p.appendChild(strong);
		}
		p.appendChild(document.createTextNode(text));
		box.appendChild(p);
	};
	if (info) {
		(info.lines || []).forEach((line) => add(line.cls, line.label, line.value));
		if (info.locked_message) add("sfh-locked", "", info.locked_message);
	}
	if (back) {
		const a = document.createElement("a");
		a.href = back.href;
		a.textContent = back.label;
		box.appendChild(a);
	}
	head.appendChild(box);
});
