from __future__ import annotations

from maillage.core.errors import DomainError


class PortabilityError(DomainError):
    """A file could not be imported or exported."""
