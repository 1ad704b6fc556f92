"""Errors the app raises; each carries the Chinese message a rule in ``standard`` returned."""

import frappe


class StandardRuleError(frappe.ValidationError):
    """A rule of DB3301/T 0346—2021 (or a related seed) refused the change."""


class InvalidIdentifierError(StandardRuleError):
    """USCC or resident ID number fails its check digits (R-6.1, R-PRIV)."""


class CalendarYearUnknownError(StandardRuleError):
    """The working-day calendar does not know a year yet (R-CAL)."""


class InitialReviewGateError(StandardRuleError):
    """Panel review attempted before the initial review passed (R-6.2.1)."""


class NoticePeriodError(StandardRuleError):
    """A notice shorter than the standard, or an objection outside the period (R-6.3)."""


class AgreementNotAllowedError(StandardRuleError):
    """Agreement attempted before the notice ended cleanly (R-6.4)."""


class ScreeningIncompleteError(StandardRuleError):
    """Initial review passed before the center's screening was recorded (R-SCREEN)."""


class SettingsBelowStandardError(StandardRuleError):
    """A settings number set below what the standard requires."""


class SettingsAboveStandardError(StandardRuleError):
    """A settings number set above what the standard (or another seed) allows, e.g. a
    follow-up service longer than [LW2021]'s two years."""


class ExitConfirmationError(StandardRuleError):
    """Exit results confirmed out of order or by the wrong role (R-CONFIRM)."""


class ExitOutcomeError(StandardRuleError):
    """An exit outcome that does not fit the assessed level, or chosen twice (R-8.1.2)."""


class InvalidInputError(frappe.ValidationError):
    """A value the app cannot store as given: wrong type, impossible date, text longer than
    its field holds, an option the field does not offer (R-INPUT; ``input_guard``)."""


class OpenApplicationError(StandardRuleError):
    """The organization already has an open application (R-6.1, §6.1)."""


def throw(message: str, exc: type[Exception] = StandardRuleError, title: str | None = None):
    """Raise ``exc`` with a message that a rule of ``shuangfuhua_app.standard`` produced."""
    frappe.throw(message, exc, title=title or frappe._("Not allowed by the standard"))
