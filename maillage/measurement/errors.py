from __future__ import annotations

from maillage.core.errors import DomainError


class MeasurementError(DomainError):
    """A shared-measurement rule was broken."""
