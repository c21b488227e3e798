from __future__ import annotations

from maillage.core.errors import DomainError


class MentoringError(DomainError):
    """A rule of mentoring groups was broken."""
