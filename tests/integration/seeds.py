"""Records of one organization (B) and its center (Y) for the marker isolation test, and the
marking itself (issue 7 §2).

``SEEDS`` makes at least one record of every DocType of the scope declaration for B / Y.
A DocType added to ``shuangfuhua_app/scope.py`` without a seed here fails
``test_isolation_markers.py::test_every_scoped_doctype_is_seeded`` – add a function that
creates one record (child rows come with their parent).  Then every text field of every
record of B, and of Y's records that belong to no organization, gets a unique marker
string; outsiders must never receive one.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from types import SimpleNamespace

import frappe

from factory import World, as_user, make_org, make_resident_id, make_user, uid
from shuangfuhua_app.scope import CHILD_SCOPE, SCOPE_FIELDS

#: what the app publishes on purpose (R-6.3 public notice; certificate verification): a
#: marker in these fields may reach anyone
PUBLIC_FIELDS: dict[str, set[str]] = {
    "Public Notice": {"title", "notice_text", "contact_info"},
    "Public Notice Item": {"org_name", "org_type", "service_field"},
    # R-X-VERIFY: /certificates/<number> tells anyone the organization and the issuing center
    "Honor Certificate": {"org_name", "issuer"},
    # R-FILE / R-EXIT-ORG: /org-notices publishes the approved filing's and termination's name
    "Organization Filing": {"filed_name"},
    "Organization Termination": {"org_name"},
}
#: R-PRIV: personal data; kept as real values (validated formats) and looked for instead
#: ("contact": an illegal-organization report's reporter contact and a resource offer's contact
#: person and phone, both at permlevel 1 – a phone number, so it is looked for as one)
PII_FIELDS = ("resident_id", "phone", "head_phone", "contact_phone", "contact_email", "birth_date", "contact")
#: Party membership (PIPL art. 28): only staff and the organization read these
POLITICAL_FIELDS: dict[str, set[str]] = {
    "Application Party Member": {"member_name", "ethnicity", "membership_location", "position"},
    "Organization Member": {"roles_summary"},
    "Incubation Activity Participant": {"participant_role"},
}
TEXT_TYPES = {"Data", "Small Text", "Text", "Long Text", "Text Editor", "Code", "Markdown Editor", "HTML Editor"}



def insert(user: str, doc: dict):
    return as_user(user, lambda: frappe.get_doc(doc).insert())


# ---------------------------------------------------------------------------- seeds
# Each seed: (world, target) -> None; creates records of B (target.org) / Y (world.center).


def _admission(w: World, t: SimpleNamespace) -> None:
    """Application through the panel (reviews and scores), notice (items), agreement,
    objection, a draft application with App. C, private attachments."""
    from test_portal_isolation import _records

    t.records = _records(w, t.org, t.rep, "B")


def _people_and_activities(w: World, t: SimpleNamespace) -> None:
    t.member = insert(w.staff, {
        "doctype": "Organization Member", "organization": t.org, "member_name": "乙书记", "is_head": 1,
        "is_party_secretary": 1, "is_party_member": 1, "resident_id": make_resident_id(), "phone": "13900000000",
        "position": "负责人", "training_plan": "<p>每季度参加培训</p>",
    }).name

    def activity():
        doc = frappe.get_doc({
            "doctype": "Incubation Activity", "activity_title": "乙组织党建培训", "block": "Party Building",
            "activity_type": "Party Member Education", "service_center": w.center, "activity_date": "2025-06-10",
            "class_hours": 2, "organizations": [{"organization": t.org}],
        })
        doc.add_participants_from_roster(t.org, None)
        return doc.insert()

    t.activity = as_user(w.staff, activity).name
    insert(w.staff, {"doctype": "Social Work Exam Record", "organization": t.org, "member": t.member,
                     "exam_year": 2025, "exam_level": "Social Worker", "exam_result": "Passed",
                     "support_notes": "辅导两次"})


def _support(w: World, t: SimpleNamespace) -> None:
    past = datetime.date(2025, 5, 1)
    insert(w.staff, {
        "doctype": "Periodic Evaluation", "organization": t.org, "evaluation_type": "Annual Service Evaluation",
        "evaluation_year": 2025, "result_summary": "总体良好",
        "rater_scores": [{"rater_party": "Expert", "independent_operation": 80, "party_org_building": 80,
                          "projects_undertaken": 80}],
        "follow_up_actions": [{"action": "完善档案", "due_date": past}],
    })
    insert(w.staff, {"doctype": "Mentoring Visit", "organization": t.org, "visit_date": past, "findings": "制度未上墙",
                     "follow_up_actions": [{"action": "制度上墙", "due_date": past}]})
    insert(w.staff, {"doctype": "Award and Honor", "organization": t.org, "honor_name": "优秀社区社会组织",
                     "honor_level": "District", "awarding_body": "区民政局", "awarded_on": past})
    insert(w.staff, {"doctype": "Grade Evaluation", "organization": t.org, "evaluation_year": 2025,
                     "grade_note": "材料齐全"})
    insert(w.staff, {"doctype": "Organization Publicity", "organization": t.org, "publicity_date": past,
                     "channel": "Bulletin Board", "publicity_title": "优秀组织风采", "summary": "事迹简介",
                     "link": "https://mp.weixin.qq.com/s/example"})
    insert(w.staff, {"doctype": "Venture Project", "organization": t.org, "project_name": "邻里守望",
                     "project_field": "Volunteer Service", "budget": 8000, "objectives": "服务独居老人",
                     "milestones": [{"milestone": "招募志愿者", "due_date": "2025-08-01"}]})
    frappe.get_doc({"doctype": "SFH Reminder", "reminder_key": f"R-TEST|{t.org}|{uid()}", "rule": "R-7.1.2",
                    "organization": t.org, "service_center": w.center, "period": "2025",
                    "message": "党员三人以上未建支部"}).insert(ignore_permissions=True)


def _center_compliance(w: World, t: SimpleNamespace) -> None:
    """Issue 10 §1–3: Y's staff, funds and management systems (§4.1 e–f, §4.2), its
    operating agreement with a negative-list record, a financial report and an evaluation
    (R-OPER), and the screening of B's draft application (R-SCREEN)."""

    def center():
        doc = frappe.get_doc("Service Center", w.center)
        doc.update({"registration_authority": "上城区民政局", "joint_management": 1, "board_led_director_system": 1,
                    "office_area": 120, "fixed_independent_office": 1, "has_computers": 1, "equipment_notes": "会议室一间"})
        doc.append("staff", {"staff_name": "丙主任", "staff_role": "Head", "employer": "Operator",
                             "qualification": "Social Worker", "certificate_number": "SW-001", "project_lead": 1,
                             "phone": "13900000001"})
        doc.append("funds", {"fund_year": 2025, "operating_funds": 282900, "project_support_funds": 50000,
                             "funding_sources": "政府购买服务"})
        doc.append("management_systems", {"system": "Admission and Exit", "document_title": "入驻和出壳管理办法",
                                          "version": "V1.0", "effective_date": "2024-01-01", "approved_by": "理事会"})
        doc.save()

    as_user(w.head, center)
    agreement = insert(w.head, {
        "doctype": "Operating Agreement", "service_center": w.center, "operator_name": "丙社工服务中心",
        "agreement_number": "YY-2024-01", "commissioned_by": "街道办事处", "start_date": "2024-10-01",
        "end_date": "2027-09-30", "registered_on": "2015-05-01", "evaluation_grade": "AAAA",
        "negative_records": [{"record_date": "2025-03-01", "item": "Serious Complaint Verified",
                              "details": "入驻组织投诉，待核实"}],
    }).name
    insert(w.staff, {"doctype": "Operator Financial Report", "operating_agreement": agreement, "report_year": 2024,
                     "report_quarter": "Q4", "income": 70000, "expenditure": 65000, "remarks": "专账核算"})
    insert(w.head, {"doctype": "Operator Performance Evaluation", "operating_agreement": agreement,
                    "evaluation_year": 2024, "result": "Good", "score": 86, "evaluated_by": "领导小组办公室",
                    "findings": "按协议履职"})
    insert(w.staff, {"doctype": "Application Screening", "application": t.records["draft"].name,
                     "grassroots_nonprofit": "Met", "internal_review_date": "2025-05-01",
                     "interview_method": "Phone Interview", "internal_review_notes": "团队稳定"})


def _exit(w: World, t: SimpleNamespace) -> None:
    """Issue 8: B's exit assessment (assessors, scores, indicators with the measured figures),
    honor certificate, follow-up service with a record, feedback; Y's corrective action and
    yearly review (with its list of actions)."""
    assessment = insert(w.staff, {
        "doctype": "Exit Assessment", "incubation_agreement": t.records["agreement"].name,
        "assessors": [{"assessor_name": "乙评估专家", "category": "Expert"}],
    })
    certificate = frappe.get_doc({"doctype": "Honor Certificate", "organization": t.org, "issuer": "丙中心",
                                  "issue_date": "2025-10-01", "level": "Excellent", "exit_assessment": assessment.name})
    certificate.flags.issued_by_app = True
    certificate.insert(ignore_permissions=True)
    frappe.get_doc({"doctype": "Follow Up Service", "organization": t.org, "exit_assessment": assessment.name,
                    "level": "Good", "start_date": "2025-10-01", "end_date": "2026-10-01",
                    "records": [{"service_date": "2025-11-01", "service_type": "Resource Linking",
                                 "resource_kind": "Expert", "partner": "乙专家", "content": "对接法律专家"}]}
                   ).insert(ignore_permissions=True)
    feedback = insert(t.rep, {"doctype": "Service Feedback", "organization": t.org, "feedback_type": "Complaint",
                              "subject": "乙投诉", "content": "培训通知太晚"})
    insert(w.staff, {"doctype": "Corrective Action", "service_center": w.center, "service_feedback": feedback.name,
                     "problem": "通知晚", "action": "提前一周通知", "owner_user": w.staff,
                     "raised_on": str(datetime.date.today()), "due_date": str(datetime.date.today())})
    insert(w.head, {"doctype": "Center Annual Review", "service_center": w.center,
                    "review_year": datetime.date.today().year, "conclusions": "<p>丙中心年度回顾</p>"})


def _targets(w: World, t: SimpleNamespace) -> None:
    """Issue 9: Y's annual targets (R-TARGET)."""
    insert(w.head, {"doctype": "Annual Target", "service_center": w.center, "target_year": 2025,
                    "source": "运营委托协议", "incubated": 6, "filed": 15, "trainings": 10,
                    "trainee_person_times": 500, "consultations": 20, "projects": 12, "upgraded": 6, "brand_orgs": 2,
                    "remarks": "年度目标"})


def _filing(w: World, t: SimpleNamespace) -> None:
    """Issue 10 §4–5: B's filing request (R-FILE) and a draft termination with its members'
    meeting vote (R-EXIT-ORG; a draft, so that B's records stay open for the other checks)."""
    insert(t.rep, {"doctype": "Organization Filing", "filing_type": "New Filing", "organization": t.org,
                   "filed_name": "乙邻里守望队", "head_name": "乙队长", "head_id_number": make_resident_id(),
                   "head_phone": "13900000002", "service_scope": "乙助老服务", "address": "乙社区活动室",
                   "activity_area": "乙社区", "member_count": 12, "committee_opinion": "乙初审意见"})
    insert(t.rep, {"doctype": "Organization Termination", "organization": t.org, "reason": "乙组织终止原因",
                   "meeting_date": str(datetime.date.today()), "members_total": 12, "members_present": 10,
                   "votes_for": 9, "votes_against": 1, "commendation": "乙纪念牌"})
    # issue 10 §6 (R-HUB, R-PERF): B's membership, brand and performance evaluations; Y's meeting
    insert(w.staff, {"doctype": "Hub Membership", "organization": t.org, "joined_on": "2025-01-01", "notes": "乙入会"})
    insert(w.staff, {"doctype": "Brand Evaluation", "organization": t.org, "brand_name": "乙品牌", "evaluation_date": "2025-06-01",
                     "brand_effect": "Met", "public_welfare": "Met", "core_business": "Met", "solid_foundation": "Met",
                     "evidence": "乙品牌依据", "award": "乙品牌奖", "evaluated_by": "乙评价单位"})
    insert(w.staff, {"doctype": "Organization Performance Evaluation", "organization": t.org, "evaluation_year": 2025,
                     "professional_level": 80, "service_efficiency": 80, "management_norms": 80,
                     "social_economic_benefit": 80, "findings": "乙绩效意见"})
    insert(w.staff, {"doctype": "Secretary General Meeting", "service_center": w.center, "meeting_date": "2025-05-10",
                     "meeting_form": "Work Salon", "topics": "丙议题", "resolutions": "丙决议",
                     "attendees": [{"organization": t.org, "attendee_name": "乙秘书长", "position": "秘书长"}]})
    # issue 10 §7 (R-VOL): Y's volunteer (personal data at permlevel 1) and a volunteer activity with hours
    volunteer = insert(w.staff, {"doctype": "SFH Volunteer", "volunteer_name": "丙志愿者", "service_center": w.center,
                                 "registered_on": "2025-01-01", "skills": "丙特长", "resident_id": make_resident_id(),
                                 "phone": "13900000003"}).name
    insert(w.staff, {"doctype": "Volunteer Activity", "activity_title": "丙志愿活动", "service_center": w.center,
                     "activity_date": "2025-06-01", "published": 1, "location": "丙地点", "description": "丙活动内容",
                     "records": [{"volunteer": volunteer, "hours": 2, "remarks": "丙备注"}]})


def _qr_sign_in(w: World, t: SimpleNamespace) -> None:
    """Issue 16: a QR sign-in of B's person at Y's activity (made by the app's guest page in
    real use; written here as the server would)."""
    frappe.get_doc({
        "doctype": "Activity Sign In", "activity": t.activity, "service_center": w.center, "organization": t.org,
        "member": t.member, "member_name": "乙书记", "match_status": "Matched", "sheet_status": "Pending",
        "phone_masked": "139****0000", "phone_key": uid(12), "signed_in_at": "2025-06-10 09:00:00",
    }).insert(ignore_permissions=True)


def _lingwu(w: World, t: SimpleNamespace) -> None:
    """Issue 17 (R-LIST, R-EVAL-CONFIRM): Y's admission list, with a Recommended application of
    another organization of Y (B's own are admitted or a draft that stays open), and Y's
    incubation work evaluation with a row of B."""
    app = w.to_recommended(w.apply(org=make_org(w.center, w.community)))
    insert(w.staff, {"doctype": "Admission List", "title": "丙入驻名单", "service_center": w.center,
                     "items": [{"application": app.name, "remarks": "丙名单备注"}]})
    insert(w.staff, {"doctype": "Incubation Work Evaluation", "service_center": w.center, "evaluation_year": 2025,
                     "evaluation_date": "2025-12-01", "summary": "丙年度综合绩效评估",
                     "items": [{"organization": t.org, "score": 88, "grade": "Good", "remarks": "乙运行规范"}]})


def _center_duties(w: World, t: SimpleNamespace) -> None:
    """Issue 17 §1: the operator's quarterly summary (of the agreement ``_center_compliance``
    made), an illegal-organization report with the reporter's name and contact (permlevel 1),
    and B's registration steering with a follow-up (B is a filed organization)."""
    agreement = frappe.db.get_value("Operating Agreement", {"service_center": w.center}, "name")
    insert(w.staff, {"doctype": "Operator Quarterly Summary", "operating_agreement": agreement, "report_year": 2024,
                     "report_quarter": "Q4", "prepared_by": "丙填报人", "services_delivered": "丙场地、财务托管",
                     "organizations_incubated": "丙3家", "activities": "丙培训4场", "problems": "丙志愿者不足",
                     "next_quarter_plan": "丙开展公益创投"})
    insert(w.staff, {"doctype": "Illegal Organization Report", "service_center": w.center,
                     "reported_org_name": "丙某研究会", "place": "丙街道", "activity_description": "丙以研究会名义收费培训",
                     "reporter_name": "丙举报人", "reporter_contact": "13900000004"})
    insert(w.staff, {"doctype": "Registration Steering", "organization": t.org, "outcome_note": "乙引导说明",
                     "follow_ups": [{"follow_up_on": frappe.utils.nowdate(), "note": "乙上门介绍登记条件"}]})


def _volunteer_duties(w: World, t: SimpleNamespace) -> None:
    """Issue 17 §1 (R-VOL-REDEEM, R-VOL-CREDIT, R-VOL-MATCH): a volunteer of Y with an account
    earns points by service, redeems an item of Y's catalogue on the portal's path, has an
    integrity entry, and accepts (the portal's path) a need B's representative posted."""
    from shuangfuhua_app.volunteer_duties import redeem
    from shuangfuhua_app.volunteer_needs import accept_need, post_need

    user = make_user([])
    volunteer = insert(w.staff, {"doctype": "SFH Volunteer", "volunteer_name": "丁志愿者", "service_center": w.center,
                                 "community": w.community, "registered_on": "2025-01-01", "user": user,
                                 "skills": "丁助老陪伴", "availability": "Any Time", "resident_id": make_resident_id(),
                                 "phone": "13900000005"}).name
    insert(w.staff, {"doctype": "Volunteer Activity", "activity_title": "丁志愿活动", "service_center": w.center,
                     "activity_date": "2025-06-02", "records": [{"volunteer": volunteer, "hours": 3}]})
    item = insert(w.staff, {"doctype": "SFH Points Catalogue Item", "item_name": "丙爱心米面油", "service_center": w.center,
                            "points": 2, "stock": 5, "description": "丙兑换说明"}).name
    as_user(user, redeem, item, 1)
    insert(w.staff, {"doctype": "SFH Volunteer Integrity Entry", "volunteer": volunteer, "entry_type": "Commendation",
                     "entry_date": frappe.utils.nowdate(), "note": "丁服务认真"})
    need = as_user(t.rep, post_need, need_title="乙陪伴独居老人", skill="丁助老陪伴",
                   need_date=frappe.utils.add_days(frappe.utils.nowdate(), 7), start_time="09:00:00",
                   end_time="11:00:00", volunteers_needed=2, description="乙需求说明")["name"]
    as_user(user, accept_need, need)


def _resources(w: World, t: SimpleNamespace) -> None:
    """Issue 17 §1 (R-RESOURCE): B's need (posted by its representative), Y's offer with the
    contact (permlevel 1) and the staff's match."""
    need = insert(t.rep, {"doctype": "SFH Resource Need", "organization": t.org, "kind": "Venue",
                          "description": "乙需要一间活动室", "quantity": "乙一间",
                          "needed_by": frappe.utils.add_days(frappe.utils.nowdate(), 30)}).name
    offer = insert(w.staff, {"doctype": "SFH Resource Offer", "service_center": w.center, "provider_type": "Enterprise",
                             "provider_name": "丙企业", "kind": "Venue", "description": "丙会议室每周两次",
                             "contact": "13900000006"}).name
    insert(w.staff, {"doctype": "SFH Resource Match", "need": need, "offer": offer, "note": "丙对接说明"})


#: every seed, in order (later issues add theirs: exit, center compliance, filing, …)
SEEDS: list[Callable[[World, SimpleNamespace], None]] = [
    _admission, _people_and_activities, _support, _center_compliance, _exit, _targets, _filing, _qr_sign_in,
    _lingwu, _center_duties, _volunteer_duties, _resources,
]


def build_target(world: World, org: str, rep: str) -> SimpleNamespace:
    target = SimpleNamespace(org=org, rep=rep, center=world.center)
    for seed in SEEDS:
        seed(world, target)
    frappe.db.commit()
    return target


# ---------------------------------------------------------------------------- marking


def target_records(org: str, center: str) -> dict[str, list[str]]:
    """Every record of ``org``, and every record of ``center`` that belongs to no organization
    (incl. the center and its communities), by DocType; child rows of those records."""
    out: dict[str, list[str]] = {}
    for doctype, fields in SCOPE_FIELDS.items():
        if not frappe.db.table_exists(doctype):
            continue
        org_field = fields.get("org")
        if org_field:
            names = frappe.get_all(doctype, filters={org_field: org}, pluck="name", ignore_permissions=True)
            names += frappe.get_all(
                doctype, filters={fields["center"]: center, org_field: ("is", "not set")}, pluck="name",
                ignore_permissions=True,
            ) if org_field != "name" else []
        else:
            names = frappe.get_all(doctype, filters={fields["center"]: center}, pluck="name", ignore_permissions=True)
        out[doctype] = sorted(set(names))
    for child, parents in CHILD_SCOPE.items():
        rows = []
        for parent in parents:
            if out.get(parent):
                rows += frappe.get_all(child, filters={"parenttype": parent, "parent": ("in", out[parent])},
                                       pluck="name", ignore_permissions=True)
        out[child] = rows
    return out


def mark(records: dict[str, list[str]], run: str) -> SimpleNamespace:
    """Write a unique marker into every text field of ``records``; give personal data unique
    real-looking values.  Returns the markers by kind."""
    marks = SimpleNamespace(secret={}, public={}, political={}, pii={})
    counter = 0
    for doctype, names in records.items():
        meta = frappe.get_meta(doctype)
        fields = [
            df for df in meta.fields
            if df.fieldtype in TEXT_TYPES and not df.fieldname.endswith(PII_FIELDS) and df.fieldname != "name"
            and (df.options or "") not in ("Email", "Phone")
        ]
        pii = [df for df in meta.fields if df.fieldname.endswith(PII_FIELDS) and df.fieldtype in ("Data", "Date")]
        for name in names:
            values = {}
            for df in fields:
                counter += 1
                marker = f"MK{run}{counter:05d}"
                if df.length and len(marker) > df.length:
                    continue
                values[df.fieldname] = marker
                kind = ("public" if df.fieldname in PUBLIC_FIELDS.get(doctype, ())
                        else "political" if df.fieldname in POLITICAL_FIELDS.get(doctype, ()) else "secret")
                getattr(marks, kind)[marker] = f"{doctype} {name}.{df.fieldname}"
            for df in pii:
                if df.fieldtype == "Date":
                    continue  # a birth date is no searchable marker; the resident ID carries it
                if "resident_id" in df.fieldname:
                    value = make_resident_id(datetime.date(1950 + random.randint(0, 40), random.randint(1, 12), 11))
                elif "email" in df.fieldname:
                    value = f"pii{run.lower()}{counter}@sfh-test.example"
                else:
                    value = "139" + "".join(random.choices("0123456789", k=8))
                counter += 1
                values[df.fieldname] = value
                marks.pii[value] = f"{doctype} {name}.{df.fieldname}"
            if values:
                frappe.db.set_value(doctype, name, values, update_modified=False)
    frappe.db.commit()
    return marks
