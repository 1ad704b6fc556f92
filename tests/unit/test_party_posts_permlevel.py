"""R-PRIV (issue 14 §5): who holds a Party post and who attended an activity sit at the
permlevel of Party membership – read by the center's staff and the organization, never by
township leaders, supervisory units, the leading group office or reviewers – and the
semi-annual ledger, the reports and the patches do not reach around it."""

from __future__ import annotations

from app_meta import ROOT, doctypes

LEADERS = {"Township Leader", "Business Supervisory Unit", "Leading Group Office", "Review Panel Member"}
#: field -> the field whose permlevel (Party membership) it must share
SAME_AS_PARTY = {
    "Organization Member": ("is_party_member", {"is_liaison", "is_instructor", "is_party_affairs_worker"}),
    # who attended (a Party block's participants are Party members; rows have no permlevel of their own)
    "Incubation Activity Participant": ("participant_role", {"member", "member_name"}),
}


def _holder(name: str) -> str:
    if doctypes()[name].get("istable"):
        return next(n for n, dt in doctypes().items() if any(f.get("options") == name for f in dt["fields"]))
    return name


def test_party_posts_and_participants_share_the_party_permlevel():
    for name, (party_field, fieldnames) in SAME_AS_PARTY.items():
        fields = {f["fieldname"]: f for f in doctypes()[name]["fields"]}
        level = fields[party_field].get("permlevel", 0)
        assert level >= 1
        perms = doctypes()[_holder(name)]["permissions"]
        readers = {p["role"] for p in perms if p.get("permlevel", 0) == level and p.get("read")}
        assert {"Center Staff", "Center Head"} <= readers, name
        assert not readers & LEADERS, f"{name}: {readers & LEADERS}"
        for fieldname in fieldnames:
            assert fields[fieldname].get("permlevel", 0) == level, f"{name}.{fieldname}"


def test_staff_write_the_participants_they_add():
    """add_participants_from_roster needs the participants' permlevel: staff and heads hold it."""
    perms = doctypes()["Incubation Activity"]["permissions"]
    writers = {p["role"] for p in perms if p.get("permlevel", 0) == 1 and p.get("write")}
    assert {"Center Staff", "Center Head"} <= writers


def test_patch_is_registered():
    text = (ROOT / "shuangfuhua_app" / "patches.txt").read_text()
    assert "shuangfuhua_app.patches.party_posts_restricted" in text
    assert (ROOT / "shuangfuhua_app" / "patches" / "party_posts_restricted.py").exists()
