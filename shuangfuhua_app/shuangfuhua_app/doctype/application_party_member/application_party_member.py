from frappe.model.document import Document


class ApplicationPartyMember(Document):
	pass
