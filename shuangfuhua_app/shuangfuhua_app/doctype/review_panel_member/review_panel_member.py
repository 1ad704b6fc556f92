from frappe.model.document import Document


class ReviewPanelMember(Document):
	pass
