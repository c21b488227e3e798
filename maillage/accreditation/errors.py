from __future__ import annotations

from maillage.core.errors import DomainError


class AccreditationError(DomainError):
    """A refusal of an accreditation service, shown to the person as a message."""
