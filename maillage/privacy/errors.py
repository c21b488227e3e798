from __future__ import annotations

from maillage.core.errors import DomainError


class PrivacyError(DomainError):
    pass
