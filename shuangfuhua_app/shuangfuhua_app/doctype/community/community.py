from frappe.model.document import Document


class Community(Document):
	pass
