# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
from frappe.model.document import Document


class ExitAssessmentTemplateIndicator(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF

        clause: DF.Data | None
        dimension: DF.Literal["Party Building", "Capacity Building", "Talent Cultivation", "Support and Incentives", "Supervision"]
        guidance: DF.SmallText | None
        indicator: DF.Data
        max_score: DF.Float
        parent: DF.Data
        parentfield: DF.Data
        parenttype: DF.Data
        source: DF.Literal["Manual", "Registration or Filing", "Party Organization", "Class Hours", "Reserve Talent", "Team Structure", "Project Design", "Venture Projects", "Annual Service Evaluation", "Resident Satisfaction", "Credit Evaluation"]
        weight: DF.Float
    # end: auto-generated types
    pass
