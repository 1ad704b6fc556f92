from frappe.model.document import Document


class SFHCalendarDay(Document):
	pass
