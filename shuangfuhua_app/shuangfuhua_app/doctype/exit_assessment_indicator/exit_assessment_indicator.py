# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
from frappe.model.document import Document


class ExitAssessmentIndicator(Document):
    # begin: auto-generated types
    # This code is auto-generated. Do not modify anything in this block.

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from frappe.types import DF

        assessor_count: DF.Int
        basis: DF.SmallText | None
        clause: DF.Data | None
        dimension: DF.Literal["Party Building", "Capacity Building", "Talent Cultivation", "Support and Incentives", "Supervision"]
        figures: DF.Code | None
        guidance: DF.SmallText | None
        indicator: DF.Data | None
        manual_average: DF.Float
        max_score: DF.Float
        measured: DF.Check
        measured_score: DF.Float
        parent: DF.Data
        parentfield: DF.Data
        parenttype: DF.Data
        points: DF.Float
        score: DF.Float
        source: DF.Literal["Manual", "Registration or Filing", "Party Organization", "Class Hours", "Reserve Talent", "Team Structure", "Project Design", "Venture Projects", "Annual Service Evaluation", "Resident Satisfaction", "Credit Evaluation"]
        weight: DF.Float
    # end: auto-generated types
    pass
