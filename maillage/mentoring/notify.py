"""The one place mentoring asks whether a person wants an e-mail of a given kind.

The follow-up work (maillage.alerts) owns the mutes; until it provides
`maillage.alerts.services.should_send(person, kind)`, everything is sent.
"""

from __future__ import annotations

from typing import Any


def should_send(person: Any, kind: str) -> bool:
    try:
        from maillage.alerts.services import should_send as alerts_should_send
    except ImportError:
        return True
    return bool(alerts_should_send(person, kind))
