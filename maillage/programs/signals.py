"""What programs ask of the floors above them (recruiting, selection), as pretix asks its plugins.

Programs sit below the apps that give them forms, criteria and applications, so they never import
them: they send these signals, and those apps answer from their `receivers` module.
"""

from __future__ import annotations

from django.dispatch import Signal

# A program was just created (inside its transaction): `program`, `by` (a Person or None) and
# `with_defaults` (False when the program is copied or imported with its own forms and
# criteria). Receivers add what a new program starts with: the pilot's interest form, criteria.
program_created = Signal()

# « Mes programmes »: `user`, `programs`, `roles` (program id → the user's roles in it, each
# with `has_consent`, see `RoleQuerySet.with_consent`) and `person` (the account's Person, or
# None). Each receiver returns {program id: [{"label": …,
# "url": …}, …]}, the work waiting for the user.
# The page everyone opens first: a receiver returns at once when the user holds no role it
# serves (from `roles`, no query), asks for every program together (never a query per
# program, group or role), and counts with `count()`/`exists()` rather than loading rows.
dashboard_todo = Signal()

# « Mes programmes », outside any program (a network's shared measurement): `user`. Each
# receiver returns a list of {"label": …, "url": …}, shown above the programs. The user's
# network roles are loaded once for all of them (`measurement.access.network_roles_of`).
dashboard_elsewhere = Signal()

# The people a program already knows besides its roles (applicants, potential mentors):
# `program`. Each receiver returns a Q on Person.
people_known = Signal()

# A new edition was made from an earlier one (inside its transaction): `source`, `copy`, `tracks`
# (source track id → the copy's Track) and `by` (a Person). Each receiver copies its part of
# the design (forms, criteria, questionnaires, the mentor pool; never applications, groups or
# answers) and returns a list of lines saying what carried over (« 7 critères »).
program_duplicated = Signal()

# A person withdrew their consent for a program (inside the withdrawal's transaction):
# `program`, `person`, `by`. Processing stops from now: the apps that process people answer
# (matching cancels the person's live self-matching requests; alerts tell the coordination about
# each active group the person is in). Nothing is deleted: a person decides about a group.
consent_withdrawn = Signal()

# « Mes consentements »: `person`. The apps above that record consents of their own (to another
# purpose than taking part) answer {"template": …, "rows": […]}, or None when the person has
# none: the page includes each template with its rows, after the consents to take part.
my_consents_elsewhere = Signal()
