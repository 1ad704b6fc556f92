"""Web Form 社区报备入驻申请 (R-6.1.2): a community's user submits the application of a filed
organization of its community on its behalf; ``shuangfuhua_app.portal.guard`` checks the
organization is of the user's community and sets the channel "Via Community"."""

from __future__ import annotations

from shuangfuhua_app.shuangfuhua_app.web_form.incubation_application.incubation_application import (
    get_context as application_context,
)


def get_context(context):
    return application_context(context)
