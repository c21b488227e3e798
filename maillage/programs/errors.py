from __future__ import annotations

from maillage.core.errors import DomainError


class ProgramError(DomainError):
    """A rule of programs was broken."""
