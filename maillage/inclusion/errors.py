from __future__ import annotations

from maillage.core.errors import DomainError


class InclusionError(DomainError):
    """A rule of inclusion (groups, objectives, self-identification) was broken."""
