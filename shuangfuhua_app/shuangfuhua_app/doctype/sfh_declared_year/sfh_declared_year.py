from frappe.model.document import Document


class SFHDeclaredYear(Document):
	pass
