from frappe.model.document import Document


class Community(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		community_name: DF.Data
		head_name: DF.Data | None
		phone: DF.Data | None
		service_center: DF.Link
		township: DF.Data | None
	# end: auto-generated types
	pass
