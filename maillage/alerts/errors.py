from __future__ import annotations

from maillage.core.errors import DomainError


class AlertError(DomainError):
    """A follow-up action that cannot be done."""
