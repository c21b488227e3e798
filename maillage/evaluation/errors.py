from __future__ import annotations

from maillage.core.errors import DomainError


class EvaluationError(DomainError):
    """A rule of evaluation was broken."""
