from __future__ import annotations


class MeasurementError(Exception):
    """A shared-measurement rule was broken; `message` is translated, `field` names the input."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
