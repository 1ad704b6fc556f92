"""Data import from Excel (R-X-IMPORT): a center brings its existing organizations, rosters and
past activities with Frappe's own *Data Import*.

* ``download_template(doctype)`` – an ``.xlsx`` whose first sheet (数据) has one header row of
  Chinese column names (the labels the forms show) and whose second sheet (填写说明) says per
  column whether it is required, what it takes (the Chinese options of a Select, 是/否 for a
  check) and gives an example.  Columns at a permission level the user cannot write (resident
  ID, phone, Party roles) are left out.
* ``DataImport`` (``override_doctype_class``) changes Frappe's Data Import for the three
  DocTypes of ``TEMPLATES`` only, with Frappe's ``Importer``/``ImportFile`` subclassed:

  - the template's Chinese headers are mapped to their fields (Frappe matches a header by the
    field's label translated without context, in whatever language the header map was first
    cached – the app's labels are translated per DocType);
  - Chinese option labels (初创期) become the stored option (Startup), 是/否 become 1/0;
  - a row Frappe's parser refuses (an organization, community or center that does not exist,
    an option that does not exist, a date it cannot read) no longer stops the whole file: the
    row is refused and logged, the good rows are imported.  Every refused row's message in the
    *Data Import Log* starts with its row number (第 N 行：…), the controllers' own messages
    (USCC, resident ID – ``shuangfuhua_app.standard.identity``; ``input_guard``) included.

Documents are inserted by Frappe's ``Importer`` as the user who runs the import, so role
permissions, the center scope (``permissions.py``) and the controllers apply as in Desk.

**Whose an import is** (R-PRIV: an import file may hold resident ID numbers).  A Data Import
belongs to the service center it was made for (``service_center``, a field the app adds;
``shuangfuhua_app.scope.FRAPPE_SCOPE_FIELDS``): set to the user's one center, chosen among the
user's centers otherwise, never changed.  The import, its log and its file are read only within
that center's scope (list, form, REST) and, for center staff and heads, by their owner only
(``if_owner``).  Every route that reads an import file – Frappe's ``get_preview_from_template``
(no permission check of its own), the errored-rows and log downloads, starting the import –
checks that the user may read the Data Import *and* the File given (``check_import_access``);
Frappe's module routes are wrapped here (``override_whitelisted_methods``) so that a refusal is
a 403 before anything is read.
"""

from __future__ import annotations

import html
from io import BytesIO

import frappe
from frappe import _
from frappe.core.doctype.data_import import data_import as frappe_data_import
from frappe.core.doctype.data_import import importer
from frappe.core.doctype.data_import.data_import import DataImport as FrappeDataImport
from frappe.utils import cstr
from frappe.utils.background_jobs import enqueue, is_job_enqueued
from frappe.utils.xlsxutils import make_xlsx

IMPORT_ROLES = ("Center Staff", "Center Head", "System Manager")

#: doctype -> the template's columns: a fieldname, or ``table.fieldname`` for a child table
#: (a document with several child rows: first row with the document, further rows only with
#: the child columns – Frappe's convention)
TEMPLATES: dict[str, list[str]] = {
    "Community Social Organization": [
        "org_name",
        "org_type",
        "uscc",
        "filing_number",
        "founded_date",
        "service_center",
        "community",
        "service_field",
        "development_stage",
        "head_name",
        "contact_name",
        "contact_phone",
        "address",
        "member_count",
        "volunteer_count",
        "party_member_count",
        "party_org_form",
    ],
    "Organization Member": [
        "organization",
        "member_name",
        "gender",
        "position",
        "member_status",
        "role_start_date",
        "left_on",
        "resident_id",
        "phone",
        "is_head",
        "is_party_secretary",
        "is_party_member",
        "is_applicant",
        "is_activist",
        "is_liaison",
        "is_instructor",
        "is_party_affairs_worker",
        "is_business_leader",
        "is_reserve",
        "is_backbone",
    ],
    "Incubation Activity": [
        "activity_title",
        "block",
        "activity_type",
        "service_center",
        "activity_date",
        "start_time",
        "end_time",
        "class_hours",
        "place",
        "organizer",
        "participants.member_name",
        "participants.organization",
        "participants.hours_attended",
        "participants.attended",
    ],
}

#: an example per column (the help sheet); identifiers with valid check digits
EXAMPLES = {
    "org_name": "阳光邻里志愿服务队",
    "org_type": "Filed",
    "uscc": "51330102MJ00000011",
    "filing_number": "BA-2024-001",
    "founded_date": "2024-03-01",
    "head_name": "张三",
    "contact_name": "李四",
    "contact_phone": "13812345678",
    "address": "某某社区服务中心二楼",
    "member_count": 12,
    "volunteer_count": 30,
    "party_member_count": 3,
    "member_name": "王五",
    "position": "队长",
    "role_start_date": "2024-03-01",
    "resident_id": "330102198506011235",
    "phone": "13912345678",
    "activity_title": "社区社会组织负责人培训",
    "activity_date": "2024-05-20",
    "start_time": "09:00:00",
    "end_time": "11:00:00",
    "class_hours": 2,
    "place": "街道社会组织服务中心",
    "organizer": "街道社会组织服务中心",
    "hours_attended": 2,
}

#: check columns: what a person types -> 1/0 (Frappe itself reads 1/0, yes/no, true/false)
CHECK_VALUES = {"是": 1, "否": 0, "√": 1, "✓": 1, "×": 0, "1": 1, "0": 0}
#: text columns: Excel must keep them as typed (an 18-digit number loses its last digits)
TEXT_FIELDTYPES = ("Data", "Small Text", "Text", "Link", "Select", "Time")


# ----------------------------------------------------------------------------- columns


def _field(doctype: str, key: str):
    """(df, table field or None) of a template column."""
    meta = frappe.get_meta(doctype)
    if "." in key:
        table, fieldname = key.split(".", 1)
        table_df = meta.get_field(table)
        return frappe.get_meta(table_df.options).get_field(fieldname), table_df
    return meta.get_field(key), None


def column_header(doctype: str, key: str) -> str:
    """The Chinese header of a template column: the label the form shows (translated with
    its DocType as context); a child table's column adds the table: 姓名（参加人员）."""
    df, table_df = _field(doctype, key)
    label = _(df.label, context=df.parent)
    if table_df:
        return f"{label}（{_(table_df.label, context=doctype)}）"
    return label


def template_columns(doctype: str, user: str | None = None) -> list[str]:
    """The template's columns the user may write (Frappe checks a child table's fields
    against the parent's permission levels)."""
    levels = frappe.get_meta(doctype).get_permlevel_access("write", user=user)
    return [key for key in TEMPLATES[doctype] if (_field(doctype, key)[0].permlevel or 0) in levels]


def _options(df) -> list[str]:
    return [o for o in (df.options or "").split("\n") if o]


def _option_label(df, option: str) -> str:
    return _(option, context=df.parent)


def _help_row(doctype: str, key: str) -> list:
    df, table_df = _field(doctype, key)
    if df.fieldtype == "Select":
        note = _("One of: {0}").format("、".join(_option_label(df, o) for o in _options(df)))
    elif df.fieldtype == "Link":
        note = _("The name of an existing {0}").format(_(df.options))
    elif df.fieldtype == "Check":
        note = _("是 or 否 (1 or 0); empty means 否")
    elif df.fieldtype == "Date":
        note = _("A date, e.g. 2024-03-01")
    elif df.fieldtype == "Time":
        note = _("A time, e.g. 09:00:00")
    elif df.fieldtype in ("Int", "Float"):
        note = _("A number")
    else:
        note = ""
    if table_df:
        note = _("{0} (one row per participant)").format(note) if note else _("One row per participant")
    if df.fieldtype == "Select" and df.default:
        example = _option_label(df, df.default)
    elif df.fieldtype == "Select":
        example = _option_label(df, EXAMPLES.get(df.fieldname) or _options(df)[0])
    elif df.fieldtype == "Check":
        example = "是"
    else:
        example = EXAMPLES.get(df.fieldname, "")
    required = _("Required Column") if df.reqd else ""
    return [column_header(doctype, key), required, note, cstr(example)]


@frappe.whitelist()
def download_template(doctype: str):
    """The ``.xlsx`` template of ``doctype`` with Chinese headers (first sheet, the one Data
    Import reads) and a help sheet."""
    if doctype not in TEMPLATES:
        frappe.throw(_("No import template for {0}").format(_(doctype)))
    frappe.only_for(IMPORT_ROLES)
    frappe.has_permission(doctype, "import", throw=True)
    content = build_template(doctype)
    frappe.response["filename"] = f"{_(doctype)}-{_('Import Template')}.xlsx"
    frappe.response["filecontent"] = content
    frappe.response["type"] = "binary"


def build_template(doctype: str) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment

    columns = template_columns(doctype)
    notes = [
        [_("Fill in the first sheet: keep its header row, one record per row from row 2.")],
        [_("A refused row is reported with its row number in the Data Import log; the other rows are imported.")],
        [_("Options and check boxes may be typed in Chinese as listed below.")],
    ]
    if any("." in key for key in columns):
        notes.append([_("Several participants: the activity on its first row, further participants on the next rows with the activity's columns left empty.")])
    help_rows = [
        *notes,
        [],
        [_("Column Name"), _("Required Column"), _("What to enter"), _("Example Value")],
        *(_help_row(doctype, key) for key in columns),
    ]
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    # make_xlsx puts each new sheet first: the data sheet last, so that it is the one read
    make_xlsx(help_rows, _("Instructions"), wb=wb, column_widths=[24, 8, 60, 24])
    make_xlsx([[column_header(doctype, key) for key in columns]], _("Data"), wb=wb)
    sheet = wb.worksheets[0]
    sheet.freeze_panes = "A2"
    for i, key in enumerate(columns, start=1):
        df = _field(doctype, key)[0]
        letter = openpyxl.utils.get_column_letter(i)
        sheet.column_dimensions[letter].width = max(12, 2 * len(column_header(doctype, key)) + 2)
        if df.fieldtype in TEXT_FIELDTYPES:
            sheet.column_dimensions[letter].number_format = "@"
        sheet.cell(row=1, column=i).alignment = Alignment(horizontal="center")
    wb.active = 0
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


# ------------------------------------------------------------------- Frappe's Data Import


class ImportFile(importer.ImportFile):
    """Frappe's parser, for a template of ``TEMPLATES``: Chinese headers and option labels;
    a row with a value Frappe refuses is left out (and logged) instead of stopping the file."""

    def parse_data_from_template(self):
        header_at = next((i for i, row in enumerate(self.raw_data) if any(v not in importer.INVALID_VALUES for v in row)), None)
        self.auto_mapped, self.extra_problems = set(), {}
        if header_at is not None:
            known = {column_header(self.doctype, key): key for key in TEMPLATES[self.doctype]}
            given = dict(self.column_to_field_map or {})
            for j, title in enumerate(self.raw_data[header_at]):
                if str(j) not in given and cstr(title).strip() in known:
                    given[str(j)] = known[cstr(title).strip()]
                    self.auto_mapped.add(j)
            self.column_to_field_map = frappe._dict(given)
            self.extra_problems = self._translate_values(header_at)
        super().parse_data_from_template()
        for col in self.columns:  # "Mapping column … to field …": our own mapping, not news
            if col.index in self.auto_mapped:
                col.warnings = [w for w in col.warnings if not (w.get("type") == "info" and "col" not in w)]

    def _translate_values(self, header_at: int) -> dict[int, list]:
        """Option labels -> options and 是/否 -> 1/0, in place; (row number -> [(column, value)])
        for a check value that is neither."""
        problems: dict[int, list] = {}
        header = self.raw_data[header_at]
        for j, title in enumerate(header):
            df = importer.get_df_for_column_header(self.doctype, self.column_to_field_map.get(str(j)) or title)
            if not df or df.fieldtype not in ("Select", "Check", "Link"):
                continue
            if df.fieldtype == "Select":
                lookup = {}
                for option in _options(df):
                    lookup[_option_label(df, option)] = lookup[_(option)] = lookup[option] = option
            for i in range(header_at + 1, len(self.raw_data)):
                row = self.raw_data[i]
                if j >= len(row) or row[j] in importer.INVALID_VALUES:
                    continue
                value = row[j].strip() if isinstance(row[j], str) else row[j]
                if df.fieldtype == "Select":
                    value = lookup.get(cstr(value), value)
                elif df.fieldtype == "Check":
                    text = cstr(value).strip().lower()
                    if isinstance(value, bool | int | float) and value in (0, 1):
                        value = int(value)
                    elif text in CHECK_VALUES:
                        value = CHECK_VALUES[text]
                    elif text not in ("t", "f", "true", "false", "yes", "no", "y", "n"):
                        problems.setdefault(i + 1, []).append((title, value))
                row[j] = value
        return problems

    def get_payloads_for_import(self):
        payloads = super().get_payloads_for_import()
        self.rows_of = {id(p.doc): p.rows for p in payloads}
        return payloads

    def get_warnings(self):
        """Frappe stops the whole import on a value it refuses; here that row is refused
        (``Importer.process_doc``) and the warnings only inform (the preview lists them)."""
        warnings = [w for w in super().get_warnings() if not self._said_per_row(w)]
        for w in warnings:
            if w.get("field") or w.get("col"):
                w["type"] = "info"
            if w.get("row") and w.get("field"):
                w["message"] = self.value_message(w) or w["message"]
        for row_number, items in self.extra_problems.items():
            warnings += [{"row": row_number, "message": _check_message(*item), "type": "info"} for item in items]
        return warnings

    def _said_per_row(self, warning) -> bool:
        """A column's list of unknown links or options: each row says it (in Chinese)."""
        if warning.get("row") or not warning.get("col") or warning.get("type") == "info":
            return False
        col = self.columns[int(warning["col"]) - 1]
        return bool(col.df and col.df.fieldtype in ("Link", "Select"))

    def get_data_for_import_preview(self):
        self.get_payloads_for_import()  # Frappe checks the values as it parses the rows
        return super().get_data_for_import_preview()

    def value_message(self, warning) -> str | None:
        """A Chinese message naming the column and the value Frappe's parser refused."""
        field = warning["field"]
        col = next(
            (c for c in self.columns if c.df and c.df.fieldname == field["fieldname"] and c.df.parent == field["parent"]),
            None,
        )
        row = self.rows_by_number.get(warning["row"])
        if not col or not row:
            return None
        title, value = html.escape(cstr(col.header_title)), html.escape(cstr(row.data[col.index]))
        if field["fieldtype"] == "Select":
            labels = "、".join(_option_label(col.df, o) for o in _options(col.df))
            return _("{0} \"{1}\" does not exist; one of: {2}").format(title, value, labels)
        if field["fieldtype"] == "Link":
            return _("{0} \"{1}\" does not exist").format(title, value)
        if field["fieldtype"] in ("Date", "Datetime"):
            return _("{0} \"{1}\" is not a date such as 2024-03-01").format(title, value)
        return None

    @property
    def rows_by_number(self):
        if getattr(self, "_rows_by_number", None) is None:
            self._rows_by_number = {r.row_number: r for r in self.data}
        return self._rows_by_number

    def row_problems(self, rows) -> list[str]:
        """What refuses these rows: the values Frappe's parser refused, unreadable checks, and
        a record linked that the user may not read (another center's organization)."""
        out = []
        for row in rows:
            out += [self.value_message(w) or w["message"] for w in row.warnings if w.get("field")]
            out += [_check_message(*item) for item in self.extra_problems.get(row.row_number, [])]
            for col in self.columns:
                value = row.data[col.index] if col.df and not col.skip_import and col.df.fieldtype == "Link" else None
                if value and frappe.db.exists(col.df.options, value) and not frappe.has_permission(col.df.options, "read", cstr(value)):
                    title, value = html.escape(cstr(col.header_title)), html.escape(cstr(value))
                    out.append(_("{0} \"{1}\" is not of your center").format(title, value))
        return out


def _check_message(title, value) -> str:
    return _("{0} \"{1}\" must be 是 or 否").format(html.escape(cstr(title)), html.escape(cstr(value)))


class Importer(importer.Importer):
    def __init__(self, doctype, data_import):
        # Frappe's Importer.__init__, with the app's ImportFile
        self.doctype = doctype
        self.console = False
        self.data_import = data_import
        self.template_options = frappe.parse_json(data_import.template_options or "{}")
        self.import_type = data_import.import_type
        self.import_file = ImportFile(
            doctype, data_import.google_sheets_url or data_import.import_file, self.template_options, self.import_type
        )

    def process_doc(self, doc):
        rows = self.import_file.rows_of.get(id(doc), [])
        numbers = [r.row_number for r in rows]  # a document's rows follow each other
        where = f"{numbers[0]}–{numbers[-1]}" if len(numbers) > 1 else str(numbers[0] if numbers else "")
        if problems := self.import_file.row_problems(rows):
            frappe.throw("<br>".join(_("Row {0}: {1}").format(where, p) for p in problems), title=_("Row refused"))
        if self.doctype == "Incubation Activity":
            link_participants(doc)
        try:
            return super().process_doc(doc)
        except Exception:
            for m in frappe.local.message_log:  # the controllers' messages, with the row number
                if isinstance(m, dict) and m.get("message"):
                    m["message"] = _("Row {0}: {1}").format(where, m["message"])
            raise


def link_participants(doc) -> None:
    """A participant typed by name is linked to the one person of that name on the
    organization's roster (when there is exactly one), so the person's class hours count."""
    for row in doc.get("participants") or []:
        if row.get("member") or not (row.get("member_name") and row.get("organization")):
            continue
        found = frappe.get_list(
            "Organization Member",
            filters={"organization": row.organization, "member_name": row.member_name},
            pluck="name",
            limit=2,
        )
        if len(found) == 1:
            row.member = found[0]


class DataImport(FrappeDataImport):
    """``override_doctype_class``: Frappe's Data Import; the app's importer for ``TEMPLATES``;
    the import's center and the checks before its file is read (every reference DocType)."""

    def validate(self):
        self.set_service_center()
        self.keep_import_file_private()
        super().validate()

    def set_service_center(self):
        """The center the import belongs to: the user's only one, or one of the user's."""
        from shuangfuhua_app.permissions import get_scope

        before = self.get_doc_before_save()
        if before and before.get("service_center") and self.get("service_center") != before.get("service_center"):
            frappe.throw(_("The service center of a data import cannot be changed."))
        scope = get_scope()
        if not self.get("service_center") and len(scope.centers) == 1:
            self.service_center = scope.centers[0]
        if scope.everything:
            return
        if not self.get("service_center"):
            frappe.throw(_("Choose the service center this import belongs to."))
        if self.service_center not in scope.centers:
            frappe.throw(_("You can only import for your own service center."), frappe.PermissionError)

    def keep_import_file_private(self):
        """An import file uploaded public (the lock icon left open) is moved to the private
        folder: it may hold resident ID numbers (R-PRIV)."""
        url = self.get("import_file") or ""
        if not url.startswith("/files/") or self.is_new():
            return
        name = frappe.db.get_value(
            "File",
            {"file_url": url, "attached_to_doctype": self.doctype, "attached_to_name": self.name,
             "owner": frappe.session.user, "is_private": 0},
        )
        if name:
            file = frappe.get_doc("File", name)
            file.is_private = 1
            file.save(ignore_permissions=True)
            self.import_file = file.file_url

    def get_importer(self):
        check_import_access(self)
        if self.reference_doctype in TEMPLATES:
            return Importer(self.reference_doctype, data_import=self)
        return super().get_importer()

    def start_import(self):
        self.check_permission("write")  # Frappe's form_start_import checks nothing
        if self.reference_doctype not in TEMPLATES:
            return super().start_import()
        from frappe.utils.scheduler import is_scheduler_inactive

        run_now = frappe.flags.in_test or frappe.conf.developer_mode
        if is_scheduler_inactive() and not run_now:
            frappe.throw(_("Scheduler is inactive. Cannot import data."), title=_("Scheduler Inactive"))
        job_id = f"data_import::{self.name}"
        if is_job_enqueued(job_id):
            return False
        enqueue(
            start_import, queue="default", timeout=10000, event="data_import", job_id=job_id, data_import=self.name, now=run_now
        )
        return True


def start_import(data_import: str):
    """Frappe's ``data_import.start_import`` (a background job) with the document's importer."""
    from rq.timeouts import JobTimeoutException

    doc = frappe.get_doc("Data Import", data_import)
    try:
        doc.get_importer().import_data()
    except JobTimeoutException:
        frappe.db.rollback()
        doc.db_set("status", "Timed Out")
    except Exception:  # noqa: BLE001 – as Frappe's job: the import is marked failed and logged
        frappe.db.rollback()
        doc.db_set("status", "Error")
        doc.log_error("Data import failed")
    finally:
        frappe.flags.in_import = False
    frappe.publish_realtime("data_import_refresh", {"data_import": doc.name})


# ------------------------------------------------------------------------ permissions

#: the field that says whose an import is (``shuangfuhua_app.scope.FRAPPE_SCOPE_FIELDS``)
CUSTOM_FIELDS = {
    "Data Import": [
        {
            "fieldname": "service_center",
            "label": "Service Center",
            "fieldtype": "Link",
            "options": "Service Center",
            "insert_after": "import_type",
            "in_standard_filter": 1,
            "search_index": 1,
            "description": "The center this import belongs to; only its staff may see the import and its file",
        }
    ]
}


def check_import_access(data_import) -> None:
    """Before an import file is read: the user may read this Data Import (as saved, not as
    posted) and the File given as its import file (R-PRIV, R-X-IMPORT).  A path or a URL that is
    no File the user may read is refused as well (Frappe's parser reads server paths)."""
    if frappe.session.user == "Administrator":
        return
    name = data_import.get("name")
    if name and not data_import.is_new() and frappe.db.exists("Data Import", name):
        if not frappe.has_permission("Data Import", "read", doc=name):
            raise frappe.PermissionError(_("You may not read this data import."))
    url = data_import.get("import_file")
    if not url:
        return
    files = frappe.get_all("File", filters={"file_url": url}, pluck="name")
    if not any(frappe.has_permission("File", "read", doc=frappe.get_doc("File", f)) for f in files):
        raise frappe.PermissionError(_("You may not read this import file."))


def _check_import(name: str, ptype: str = "read") -> None:
    if not name or not frappe.db.exists("Data Import", name):
        raise frappe.DoesNotExistError(_("Data Import {0} not found").format(name))
    if not frappe.has_permission("Data Import", ptype, doc=name):
        raise frappe.PermissionError(_("You may not read this data import."))


# Frappe's whitelisted functions of Data Import, with the record's permission checked first
# (``override_whitelisted_methods``; Frappe v15 checks none of them but get_import_logs)


@frappe.whitelist()
def get_preview_from_template(data_import, import_file=None, google_sheets_url=None):
    _check_import(data_import)
    return frappe_data_import.get_preview_from_template(data_import, import_file, google_sheets_url)


@frappe.whitelist()
def form_start_import(data_import: str):
    _check_import(data_import, "write")
    return frappe_data_import.form_start_import(data_import)


@frappe.whitelist()
def download_errored_template(data_import_name):
    _check_import(data_import_name)
    return frappe_data_import.download_errored_template(data_import_name)


@frappe.whitelist()
def download_import_log(data_import_name):
    _check_import(data_import_name)
    return frappe_data_import.download_import_log(data_import_name)


@frappe.whitelist()
def get_import_status(data_import_name):
    _check_import(data_import_name)
    return frappe_data_import.get_import_status(data_import_name)


@frappe.whitelist()
def get_import_logs(data_import: str):
    _check_import(data_import)
    return frappe_data_import.get_import_logs(data_import)


@frappe.whitelist()
def download_frappe_template(doctype, export_fields=None, export_records=None, export_filters=None, file_type="CSV"):
    """Frappe's ``download_template`` (the export behind Data Import's "Download Template"):
    only the columns the user may read – Frappe reads a child table's rows without looking at
    the permission level of the table or its fields (R-PRIV)."""
    export_fields = _readable_export_fields(doctype, frappe.parse_json(export_fields) or {})
    return frappe_data_import.download_template(doctype, export_fields, export_records, export_filters, file_type)


def _readable_export_fields(doctype: str, export_fields: dict) -> dict:
    from frappe.model import get_permitted_fields

    meta = frappe.get_meta(doctype)
    levels = set(meta.get_permlevel_access("read")) | {0}
    out = {}
    for key, fieldnames in export_fields.items():
        if key == doctype:
            allowed = set(get_permitted_fields(doctype)) | {"name"}
        else:
            table_df = meta.get_field(key)
            if not table_df or table_df.fieldtype not in ("Table", "Table MultiSelect") or (table_df.permlevel or 0) not in levels:
                continue
            allowed = set(get_permitted_fields(table_df.options, parenttype=doctype)) | {"name"}
        out[key] = [f for f in fieldnames or [] if f in allowed]
    return out


def ensure_import_scope():
    """``after_install``/``after_migrate``: the Data Import's center field, and the center of
    imports made before it existed (the owner's one center)."""
    from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

    create_custom_fields(CUSTOM_FIELDS, update=True)
    for name, owner in frappe.get_all(
        "Data Import", filters={"service_center": ("is", "not set")}, fields=["name", "owner"], as_list=True
    ):
        centers = frappe.get_all(
            "User Permission", filters={"user": owner, "allow": "Service Center"}, pluck="for_value", distinct=True
        )
        if len(centers) == 1:
            frappe.db.set_value("Data Import", name, "service_center", centers[0], update_modified=False)


def ensure_import_permissions():
    """``after_install``/``after_migrate``: center staff and heads use Data Import for their
    own imports only (``if_owner``: an import file may hold resident ID numbers)."""
    from frappe.permissions import setup_custom_perms

    ensure_import_scope()
    setup_custom_perms("Data Import")
    for role in ("Center Staff", "Center Head"):
        if frappe.db.exists("Custom DocPerm", {"parent": "Data Import", "role": role, "permlevel": 0}):
            continue
        frappe.get_doc(
            {
                "doctype": "Custom DocPerm",
                "parent": "Data Import",
                "parenttype": "DocType",
                "parentfield": "permissions",
                "role": role,
                "permlevel": 0,
                "if_owner": 1,
                **{ptype: 1 for ptype in ("read", "write", "create", "delete")},
            }
        ).insert(ignore_permissions=True)
    frappe.clear_cache(doctype="Data Import")
