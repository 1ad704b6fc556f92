from frappe.model.document import Document


class ReviewPanelMember(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		affiliation: DF.Data | None
		category: DF.Literal["Township Leader", "Township Department", "Community Head", "Center Head", "Expert"]
		member_name: DF.Data
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		user: DF.Link | None
	# end: auto-generated types
	pass
