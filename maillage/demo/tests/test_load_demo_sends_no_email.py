"""load_demo from an empty database, with real commits: apart from test_load_demo.py, whose
tests share one load inside a transaction that never commits."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command


@pytest.mark.django_db(transaction=True)
def test_loading_sends_no_email():
    # Real commits, so that what the services queue after commit runs (tests run tasks at once).
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Demo data loaded" in out.getvalue()
    assert mail.outbox == []
