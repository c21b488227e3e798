from __future__ import annotations


class AccountError(Exception):
    """A rule of accounts was broken; the message is translated and safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
