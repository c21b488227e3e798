from __future__ import annotations


class ToolError(Exception):
    """A rule of the shared-tools library was broken; the message is translated and safe to show.

    `field` names the form field the message belongs to, so the form can show it in place.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
