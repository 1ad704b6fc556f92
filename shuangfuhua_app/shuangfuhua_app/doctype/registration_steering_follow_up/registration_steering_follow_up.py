# Copyright (c) 2026, shuangfuhua_app contributors. MIT License.
from frappe.model.document import Document


class RegistrationSteeringFollowUp(Document):
    pass
