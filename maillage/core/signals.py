"""What core asks of every floor above it, which it never imports.

The platform's hourly round (`core.tasks.daily_work`, run by the background worker) sends
`daily_work_due`; the apps with daily work answer from their `receivers` module.
"""

from __future__ import annotations

from django.dispatch import Signal

# The hour has come (no arguments). Each receiver does its day's work once, remembering the
# days it ran, so that the hourly call is safe, and returns a short JSON-ready summary for the
# operator (a count, a date).
daily_work_due = Signal()
