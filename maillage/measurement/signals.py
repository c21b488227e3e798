"""Signals of the shared measurement, for the floors above.

`network_sections` asks the apps above which pages of a network this user may open (the
network's resources, its directory…): each receiver answers a list of ``{"label", "url"}``. The
network page and its section bar show them, so that measurement never imports those apps.
"""

from __future__ import annotations

from django.dispatch import Signal

# A network's sections, shown in its staff's section bar and on its page for the other roles:
# sent with `network`, `user` and `roles` (the user's kinds of role in it). Each receiver returns
# a list of {"label": …, "url": …} with "section" (the page's `section`) or "name" (its URL
# namespace), so that the bar marks the page being shown; or [].
network_sections = Signal()
