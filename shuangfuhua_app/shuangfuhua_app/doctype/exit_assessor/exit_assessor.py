# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
from frappe.model.document import Document


class ExitAssessor(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF

        assessor_name: DF.Data
        category: DF.Literal["Township Leader", "Township Department", "Community Head", "Center Head", "Expert", "Business Supervisory Unit"]
        parent: DF.Data
        parentfield: DF.Data
        parenttype: DF.Data
        user: DF.Link | None
    # end: auto-generated types
    pass
