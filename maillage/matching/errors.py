from __future__ import annotations

from maillage.core.errors import DomainError


class MatchingError(DomainError):
    """A rule of matching was broken or the engine could not answer. ``problems`` holds the
    engine's own problems (code, params, message), so that a page can list each one in the
    reader's language."""

    def __init__(
        self, message: str, problems: list[dict] | None = None, field: str | None = None
    ) -> None:
        super().__init__(message, field)
        self.problems = problems or []
