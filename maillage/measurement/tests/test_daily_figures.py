"""The daily job refreshes the figures of every program shared with any network, once a day."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from maillage.measurement.models import ProgramFigures

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("refresh_network_figures", *args, stdout=out)
    return out.getvalue()


def test_daily_job_refreshes_shared_programs_once_a_day(fed, program_a, program_b2, outsider):
    assert _run() == "2 programs queued\n"  # the tasks ran (immediate backend in tests)
    shared = {program_a.pk, program_b2.pk}
    assert set(ProgramFigures.objects.values_list("program_id", flat=True)) == shared
    assert _run() == "0 programs queued\n"  # the hourly loop calls it again: nothing to do

    ProgramFigures.objects.filter(program=program_a).update(
        computed_at=timezone.now() - timedelta(days=1)
    )
    assert _run() == "1 program queued\n"
    assert ProgramFigures.objects.get(program=program_a).computed_at.date() == timezone.now().date()
    assert _run("--force") == "2 programs queued\n"
