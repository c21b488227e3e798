from __future__ import annotations


class PortabilityError(Exception):
    """A file could not be imported or exported; the message is translated and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
