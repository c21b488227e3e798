from __future__ import annotations

from maillage.core.errors import DomainError


class ResourceError(DomainError):
    """A rule of mutualized resources was broken."""
