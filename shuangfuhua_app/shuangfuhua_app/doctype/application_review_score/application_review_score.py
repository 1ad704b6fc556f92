from frappe.model.document import Document


class ApplicationReviewScore(Document):
	pass
