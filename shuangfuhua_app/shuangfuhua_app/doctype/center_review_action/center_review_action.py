# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
from frappe.model.document import Document


class CenterReviewAction(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF

        action: DF.SmallText | None
        action_status: DF.Literal["Open", "In Progress", "Completed", "Cancelled"]
        completed_on: DF.Date | None
        corrective_action: DF.Link | None
        due_date: DF.Date | None
        overdue: DF.Check
        owner_user: DF.Link | None
        parent: DF.Data
        parentfield: DF.Data
        parenttype: DF.Data
        problem: DF.SmallText | None
    # end: auto-generated types
    pass
