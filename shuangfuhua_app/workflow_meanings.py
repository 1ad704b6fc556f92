"""What each state of a shipped workflow *means* to the app (issue 15 §2), kept next to the
workflow JSON files of ``shuangfuhua_app/shuangfuhua_app/workflow/`` (tier 1 checks that
every shipped state has exactly one meaning here and that nothing else is listed).

The app never decides "open", "closed", "admitted" … by a list of state names: it asks
``shuangfuhua_app.workflow_paths.states_meaning`` which reads this mapping, the meanings a
center gave in *Shuangfuhua Settings* (table *Workflow State Meanings*, which wins), and
gives every other state of the site's workflow – one added in Desk – the meaning ``open``.

Framework-free (no frappe import) so tier 1 reads it.
"""

from __future__ import annotations

from types import MappingProxyType

#: the meanings a state can carry
OPEN = "open"  # the matter is still being handled
UNDERWAY = "underway"  # still being handled, after its approval: a venture project approved (立项) and carried out
ADMITTED = "admitted"  # ended with what was asked for: admitted, filed, termination approved, confirmed
REFUSED = "refused"  # ended without it: not admitted, not filed, not approved, termination refused
CLOSED = "closed"  # ended otherwise: a project closed after its evaluation
WITHDRAWN = "withdrawn"  # taken back: an exit result returned for reassessment (cancelled)

MEANINGS: tuple[str, ...] = (OPEN, UNDERWAY, ADMITTED, REFUSED, CLOSED, WITHDRAWN)
#: meanings of a matter still being handled (``open`` before an approval, ``underway`` after it)
STILL_OPEN: frozenset[str] = frozenset({OPEN, UNDERWAY})
#: meanings of a venture project that reached its approval (§7.5.1.5, [LW2021] 项目设计):
#: carried out, or closed after its evaluation
APPROVED_PROJECT: tuple[str, ...] = (UNDERWAY, CLOSED)
#: meanings of a finished matter
ENDED: frozenset[str] = frozenset({ADMITTED, REFUSED, CLOSED, WITHDRAWN})

#: Chinese labels of the meanings (the settings' Select shows the English keys, translated)
MEANING_LABELS = MappingProxyType(
    {OPEN: "办理中", UNDERWAY: "已立项实施中", ADMITTED: "已办结（准予）", REFUSED: "已办结（不予）", CLOSED: "已关闭", WITHDRAWN: "已退回作废"}
)

#: workflow name -> {shipped state -> meaning}
SHIPPED_MEANINGS: MappingProxyType = MappingProxyType(
    {
        "Incubation Application Workflow": MappingProxyType(
            {
                "Draft": OPEN,
                "Submitted": OPEN,
                "Returned": OPEN,
                "Panel Review": OPEN,
                "Recommended": OPEN,
                "In Notice": OPEN,
                "Admitted": ADMITTED,
                "Not Admitted": REFUSED,
            }
        ),
        "Organization Filing Workflow": MappingProxyType(
            {
                "Draft": OPEN,
                "Returned": OPEN,
                "Residents' Committee Review": OPEN,
                "Township Review": OPEN,
                "Filing Notice": OPEN,
                "Filed": ADMITTED,
                "Not Filed": REFUSED,
            }
        ),
        "Organization Termination Workflow": MappingProxyType(
            {
                "Draft": OPEN,
                "Residents' Committee Review": OPEN,
                "Township Review": OPEN,
                "Terminated": ADMITTED,
                "Termination Refused": REFUSED,
            }
        ),
        "Venture Project Workflow": MappingProxyType(
            {
                "Project Application": OPEN,
                "Initial Coaching": OPEN,
                "Awaiting Approval": OPEN,
                "In Execution": UNDERWAY,
                "Closing Evaluation": UNDERWAY,
                "Project Closed": CLOSED,
                "Not Approved": REFUSED,
            }
        ),
        # issue 15 §7, [LW2021] 四（二）3–4, 四（一）4–5: the Lingwu oversight chain
        "Admission List Workflow": MappingProxyType(
            {
                "Draft": OPEN,
                "Awaiting First Review": OPEN,
                "First Reviewed": OPEN,
                "Returned": OPEN,
                "List Approved": ADMITTED,
            }
        ),
        "Incubation Work Evaluation Workflow": MappingProxyType(
            {
                "Draft": OPEN,
                "Submitted": OPEN,
                "First Reviewed": OPEN,
                "Returned": OPEN,
                "Results Confirmed": ADMITTED,
            }
        ),
        "Exit Assessment Workflow": MappingProxyType(
            {
                "Draft": OPEN,
                "Assessed": OPEN,
                "First-instance Confirmed": OPEN,
                "Finally Confirmed": ADMITTED,
                "Returned for Reassessment": WITHDRAWN,
            }
        ),
    }
)


def meaning_of(workflow: str, state: str | None, overrides: dict[str, str] | None = None) -> str:
    """The meaning of ``state`` in ``workflow``: the center's override, else the shipped
    meaning, else ``open`` (a state added in Desk is still being handled until a center says
    otherwise)."""
    if overrides and state in overrides:
        return overrides[state]
    return SHIPPED_MEANINGS.get(workflow, {}).get(state or "", OPEN)
