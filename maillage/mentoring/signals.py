"""What mentoring tells the floors above it (the follow-up's alerts), which it never imports.

Mentoring sends these signals; the apps that watch groups answer from their `receivers` module.
"""

from __future__ import annotations

from django.dispatch import Signal

# Something an alert watches changed in a group (inside the service's transaction): `group`. A
# meeting planned, moved, cancelled or recorded, time logged, a need written or decided, an
# update posted, a designation or the hours bank set, the group formed. Receivers queue their
# work for after the commit, so that a rolled-back change triggers nothing.
group_changed = Signal()
