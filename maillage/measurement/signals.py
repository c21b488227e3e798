"""Signals of the shared measurement, for the floors above.

`network_sections` asks the apps above which pages of a network this user may open (the
network's resources, its directory…): each receiver answers a list of ``{"label", "url"}``. The
network page and its section bar show them, so that measurement never imports those apps.
"""

from __future__ import annotations

from django.dispatch import Signal

network_sections = Signal()  # sender=Network, network=..., user=..., roles=set of kinds
