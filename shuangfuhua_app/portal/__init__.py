"""The organizations' portal and the public pages (issue 4), one module per concern.

* ``guard`` – the save guard of every record an organization files from the portal
  (R-SCOPE); the security-critical part, short on purpose.  Reading is guarded for every
  route in ``shuangfuhua_app.permissions``.
* ``representatives`` – who represents which organization (or community); staff invite them.
* ``files`` – attachments of the app's records are stored private (R-PRIV).
* ``forms`` – the Web Forms' context and the applicant's workflow action.
* ``dashboard`` – "my incubation" and "report and ask".
* ``notices`` / ``objection`` – the public notice pages and the objection form (R-6.3).
* ``setup`` – the portal's site settings at install and migrate.
"""
