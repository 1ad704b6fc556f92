from frappe.model.document import Document


class SFHWorkflowSync(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		admin_edited: DF.Check
		file_hash: DF.Data | None
		synced_modified: DF.Datetime | None
		workflow: DF.Data
	# end: auto-generated types
	pass
