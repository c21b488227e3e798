from __future__ import annotations


class MatchingError(Exception):
    """A rule of matching was broken or the engine could not answer; the message is translated
    and safe to show. ``problems`` holds the engine's own problems (code, params, message), so
    that a page can list each one in the reader's language."""

    def __init__(self, message: str, problems: list[dict] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []
