from __future__ import annotations

from maillage.core.errors import DomainError


class IntakeError(DomainError):
    """A rule of recruiting was broken."""


class SubmissionLimited(IntakeError):
    """Too many answers from one connection or with one e-mail address: shown with status 429."""
