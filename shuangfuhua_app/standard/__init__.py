"""Framework-free rules of DB3301/T 0346—2021 社区社会组织双孵化服务规范 (no Frappe here).

Modules and the rules (REQUIREMENTS.md ids) they implement:

* ``clauses``   – citations: ``cite("6.3")`` -> "（DB3301/T 0346—2021 第6.3条）", ``cite_source``.
* ``result``    – :class:`Finding` (ok, message, rule, clause, figure/required/gap/expected).
* ``settings``  – :class:`StandardSettings`: every number the standard fixes (defaults).
* ``calendar``  – R-CAL (§6.3): Chinese working days, :class:`UnknownYearError`.
* ``identity``  – R-6.1 (App. A/C), R-PRIV: USCC, resident ID, mobile; masking.
* ``admission`` – R-6.1 (one open application), R-6.1.2, R-6.2.1, R-SCREEN, R-6.2.2, R-6.3, R-6.4,
  R-8.1.1a (agreement term).
* ``inputs``    – R-INPUT: values the app cannot store as given (type, date, length, option).
* ``party``     – R-7.1.2 party branch / instructor / liaison, R-7.3.1b 一肩挑 rate.
* ``training``  – R-7.2 stage tracks, R-7.3.1a class hours, R-7.3.2a–c reserves, rotation, study.
* ``activities`` – §5/§7 blocks and activity types, R-SERV base services, R-7.2 track check.
* ``evaluation`` – R-7.4 venture fields/amounts, consultation response time, R-7.5.1.2, R-7.5.2 averages.
* ``support``   – R-7.3.5 social-work exam, R-7.4 publicity (§7.4.8), R-7.5.2 follow-up and exit feed.
* ``exit``      – R-8.1.1b indicator template, measured indicators, assessment and levels,
  R-CONFIRM, R-8.1.2, R-8.1.3 / R-X-VERIFY certificates, R-8.2 follow-up.
* ``improvement`` – R-9 (§9): feedback and complaints, corrective actions, the yearly review.
* ``center``    – R-4.1a–f, R-4.2, R-OPER: the center, its compliance panel and its operator.
"""

from .admission import (
    DEFAULT_REVIEW_TEMPLATE,
    PANEL_CATEGORIES,
    RECOMMENDATIONS,
    REVIEW_METHODS,
    PanelDecision,
    ReviewCriterion,
    ReviewerVote,
    aggregate_reviews,
    agreement_end_date,
    can_enter_panel_review,
    channel_allowed,
    check_agreement_allowed,
    check_notice_period,
    check_panel,
    missing_panel_categories,
    notice_end_date,
    notice_state,
    objection_window_open,
    score_errors,
    weighted_score,
)
from .calendar import UnknownYearError, WorkCalendar, as_date
from .clauses import STANDARD_CODE, cite, cite_source
from .identity import (
    birth_date_from_resident_id,
    gender_from_resident_id,
    mask_phone,
    mask_resident_id,
    normalize_uscc,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
)
from .party import check_party_organization, one_shoulder_rate, required_party_form
from .result import Finding, RuleResult
from .settings import DEFAULT_SETTINGS, StandardSettings, settings_from_mapping
from .training import (
    STAGES,
    class_hours_finding,
    expected_hours_to_date,
    monthly_study_findings,
    reserve_ratio_finding,
    reserve_training_finding,
    rotation_finding,
    track_matches,
    training_track,
)

__all__ = [
    "DEFAULT_REVIEW_TEMPLATE",
    "DEFAULT_SETTINGS",
    "PANEL_CATEGORIES",
    "RECOMMENDATIONS",
    "REVIEW_METHODS",
    "STAGES",
    "STANDARD_CODE",
    "Finding",
    "PanelDecision",
    "ReviewCriterion",
    "ReviewerVote",
    "RuleResult",
    "StandardSettings",
    "UnknownYearError",
    "WorkCalendar",
    "agreement_end_date",
    "aggregate_reviews",
    "as_date",
    "birth_date_from_resident_id",
    "can_enter_panel_review",
    "channel_allowed",
    "check_agreement_allowed",
    "check_notice_period",
    "check_panel",
    "check_party_organization",
    "cite",
    "cite_source",
    "class_hours_finding",
    "expected_hours_to_date",
    "gender_from_resident_id",
    "mask_phone",
    "mask_resident_id",
    "missing_panel_categories",
    "monthly_study_findings",
    "normalize_uscc",
    "notice_end_date",
    "notice_state",
    "objection_window_open",
    "one_shoulder_rate",
    "required_party_form",
    "reserve_ratio_finding",
    "reserve_training_finding",
    "rotation_finding",
    "score_errors",
    "settings_from_mapping",
    "track_matches",
    "training_track",
    "validate_mobile",
    "validate_resident_id",
    "validate_uscc",
    "weighted_score",
]
