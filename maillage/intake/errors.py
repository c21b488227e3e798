from __future__ import annotations

from maillage.core.errors import DomainError


class IntakeError(DomainError):
    """A rule of recruiting was broken."""
