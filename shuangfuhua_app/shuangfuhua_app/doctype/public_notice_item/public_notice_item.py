from frappe.model.document import Document


class PublicNoticeItem(Document):
	pass
