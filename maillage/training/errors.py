from __future__ import annotations

from maillage.core.errors import DomainError


class TrainingError(DomainError):
    """A rule of training modules or of the implementation path was broken."""
