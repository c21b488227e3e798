"""Closing or reopening a program twice at once records one change (issue 12, finding 5)."""

from __future__ import annotations

import pytest

from maillage.core.models import AuditEntry
from maillage.core.tests.at_once import at_once
from maillage.programs.models import Program
from maillage.programs.services import close_program, reopen_program


@pytest.mark.django_db(transaction=True)
def test_two_closings_at_once_close_once(program_a):
    # Each request has its own copy of the program, read before the other one's change.
    one, two = (Program.objects.get(pk=program_a.pk) for _ in range(2))
    answers = at_once(lambda: close_program(program=one), lambda: close_program(program=two))
    assert all(isinstance(a, Program) for a in answers), answers
    assert AuditEntry.objects.filter(action="program.closed", program_id=program_a.pk).count() == 1
    assert Program.objects.get(pk=program_a.pk).is_closed()


@pytest.mark.django_db(transaction=True)
def test_two_reopenings_at_once_reopen_once(program_a):
    before = program_a.status
    close_program(program=program_a)
    one, two = (Program.objects.get(pk=program_a.pk) for _ in range(2))
    at_once(lambda: reopen_program(program=one), lambda: reopen_program(program=two))
    assert (
        AuditEntry.objects.filter(action="program.reopened", program_id=program_a.pk).count() == 1
    )
    assert Program.objects.get(pk=program_a.pk).status == before
