from frappe.model.document import Document


class ApplicationReviewScore(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		criterion: DF.Data | None
		max_score: DF.Float
		method: DF.Literal["Documents", "Site Visit", "Defense"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		score: DF.Float
		weight: DF.Float
	# end: auto-generated types
	pass
