from frappe.model.document import Document


class PublicNoticeItem(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		application: DF.Link
		org_name: DF.Data | None
		org_type: DF.Literal["Registered", "Filed"]
		organization: DF.Link | None
		outcome: DF.Literal["", "Pending", "Admitted", "Objection Upheld", "On Hold"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		service_field: DF.Literal["Community Service", "Charity and Mutual Aid", "Culture and Sports", "Elderly and Children", "Dispute Mediation", "Consultative Self-governance", "Volunteer Service", "Safety Building", "Hardship Assistance", "Neighborhood Mutual Aid", "Rural Revitalization", "Other"]
	# end: auto-generated types
	pass
