# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
from frappe.model.document import Document


class ExitAssessmentScore(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF

        assessor_name: DF.Data
        comment: DF.SmallText | None
        indicator: DF.Data
        max_score: DF.Float
        parent: DF.Data
        parentfield: DF.Data
        parenttype: DF.Data
        score: DF.Data | None
    # end: auto-generated types
    pass
