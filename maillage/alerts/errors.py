from __future__ import annotations


class AlertError(Exception):
    """A follow-up action that cannot be done; the message is translated and shown as is."""
