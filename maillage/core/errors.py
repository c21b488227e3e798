"""The one error type of Maillage's services.

A service that refuses raises `DomainError` (or an app's subclass, when a view must tell them
apart): its `message` is translated and safe to show to the user as is, and `field`, when set,
names the form field it belongs to so that a form can show it in place.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


class DomainError(Exception):
    """A rule was broken; the message is translated and safe to show."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @classmethod
    def from_validation(cls, error: ValidationError) -> DomainError:
        """The first message of a model's `full_clean()` error, with the field it names."""
        if hasattr(error, "error_dict"):
            field, messages = next(iter(error.message_dict.items()))
            return cls(messages[0], None if field == "__all__" else field)
        return cls(error.messages[0] if error.messages else str(error))

    @classmethod
    def check(cls, instance: object, **clean: object) -> None:
        """`instance.full_clean(**clean)`, raising this error type instead of ValidationError."""
        try:
            instance.full_clean(**clean)  # type: ignore[attr-defined]
        except ValidationError as error:
            raise cls.from_validation(error) from error


class AccountError(DomainError):
    """A rule of accounts was broken."""
