from __future__ import annotations

from maillage.core.errors import DomainError


class SelectionError(DomainError):
    """A rule of selection was broken."""
