from __future__ import annotations

from maillage.core.errors import DomainError
from maillage.core.locking import StaleEdit


class PracticeError(DomainError):
    """A rule of the communities of practice was broken."""


class StalePractice(StaleEdit, PracticeError):
    """A meeting was changed by someone else while this form was open."""
