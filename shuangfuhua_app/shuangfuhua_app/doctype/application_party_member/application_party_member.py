from frappe.model.document import Document


class ApplicationPartyMember(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		birth_date: DF.Date | None
		education: DF.Literal["", "Primary School", "Junior High School", "Senior High School", "Technical Secondary School", "Junior College", "Bachelor", "Master", "Doctorate"]
		ethnicity: DF.Data | None
		gender: DF.Literal["Male", "Female"]
		joined_party_date: DF.Date | None
		member_name: DF.Data
		membership_location: DF.Data | None
		membership_status: DF.Literal["Full Member", "Probationary Member"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		phone: DF.Data | None
		position: DF.Data | None
		resident_id: DF.Data | None
	# end: auto-generated types
	pass
