from __future__ import annotations

from maillage.core.errors import DomainError


class DirectoryError(DomainError):
    """A rule of the directory was broken."""
