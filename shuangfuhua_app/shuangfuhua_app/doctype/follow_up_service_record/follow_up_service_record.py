# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
from frappe.model.document import Document


class FollowUpServiceRecord(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF

        content: DF.SmallText
        parent: DF.Data
        parentfield: DF.Data
        parenttype: DF.Data
        partner: DF.Data | None
        resource_kind: DF.Literal["", "Expert", "Social Worker", "Volunteer Team", "Other Resource"]
        result: DF.SmallText | None
        service_date: DF.Date
        service_type: DF.Literal["Brand Building", "Resource Linking", "Joint Supervision"]
        staff: DF.Link | None
    # end: auto-generated types
    pass
