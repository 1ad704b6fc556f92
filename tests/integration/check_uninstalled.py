"""After uninstall-app: nothing on the site points at what the app dropped."""

import os
import sys

import frappe

site = os.environ["SFH_SITE"]
os.chdir(os.path.join(os.environ["SFH_BENCH"], "sites"))
frappe.init(site=site, sites_path=".")
frappe.connect()
problems = []
doctypes = set(frappe.get_all("DocType", pluck="name"))
roles = set(frappe.get_all("Role", pluck="name"))
if "shuangfuhua_app" in frappe.get_installed_apps():
    problems.append("app still installed")
for dt in ("Incubation Application", "Shuangfuhua Settings", "SFH Workflow Sync"):
    if dt in doctypes:
        problems.append(f"DocType {dt} left behind")
for up in frappe.get_all("User Permission", fields=["name", "allow"]):
    if up.allow not in doctypes:
        problems.append(f"User Permission {up.name} points at missing DocType {up.allow}")
for wf in frappe.get_all("Workflow", fields=["name", "document_type"]):
    if wf.document_type not in doctypes:
        problems.append(f"Workflow {wf.name} for missing DocType {wf.document_type}")
for hr in frappe.get_all("Has Role", fields=["parent", "role"], filters={"parenttype": "User"}):
    if hr.role not in roles:
        problems.append(f"User {hr.parent} has missing role {hr.role}")
for pf in frappe.get_all("Print Format", fields=["name", "doc_type"]):
    if pf.doc_type not in doctypes:
        problems.append(f"Print Format {pf.name} for missing DocType {pf.doc_type}")
if frappe.db.exists("Workspace", "Shuangfuhua"):
    problems.append("Workspace Shuangfuhua left behind")
for step in frappe.get_all("Onboarding Step", fields=["name", "reference_document"]):
    if step.reference_document and step.reference_document not in doctypes:
        problems.append(f"Onboarding Step {step.name} for missing DocType {step.reference_document}")
if frappe.db.exists("Module Onboarding", "Shuangfuhua"):
    problems.append("Module Onboarding Shuangfuhua left behind")
frappe.destroy()
print("uninstall check:", "; ".join(problems) if problems else "nothing broken left behind")
sys.exit(1 if problems else 0)
