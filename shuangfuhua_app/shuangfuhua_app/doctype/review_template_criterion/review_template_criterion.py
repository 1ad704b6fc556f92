from frappe.model.document import Document


class ReviewTemplateCriterion(Document):
	pass
