from __future__ import annotations

from maillage.core.errors import DomainError


class ToolError(DomainError):
    """A rule of the shared-tools library was broken."""
