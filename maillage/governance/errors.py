from __future__ import annotations

from maillage.core.errors import DomainError


class GovernanceError(DomainError):
    """A governance rule was broken."""
