from __future__ import annotations

from maillage.core.errors import DomainError


class ReportError(DomainError):
    """A rule of the impact report was broken."""
