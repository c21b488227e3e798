from __future__ import annotations

from maillage.core.errors import DomainError


class SelectionError(DomainError):
    """A rule of selection was broken."""


class DecisionChanged(SelectionError):
    """The decision changed since the form was shown (someone else, or a second click)."""
