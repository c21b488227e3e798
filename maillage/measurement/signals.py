"""What the network's pages ask of the floors above (communities of practice, and the other
network apps), which measurement never imports: they answer from their `receivers` module."""

from __future__ import annotations

from django.dispatch import Signal

# A network's sections, shown in its staff's section bar and on its page for every role:
# `network`, `user`. Each receiver returns a list of {"label": …, "url": …, "name": …}
# (`name`: the section's URL namespace, so that the bar marks the page being shown), or [].
network_sections = Signal()
