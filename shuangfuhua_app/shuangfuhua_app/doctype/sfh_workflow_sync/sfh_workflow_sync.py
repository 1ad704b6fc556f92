from frappe.model.document import Document


class SFHWorkflowSync(Document):
	pass
