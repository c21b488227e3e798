from __future__ import annotations


class ReportError(Exception):
    """A rule of the impact report was broken; the message is translated and safe to show."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
