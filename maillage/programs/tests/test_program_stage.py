"""The stage follows what happens in the program: forward only, never out of « Terminé »."""

from __future__ import annotations

import pytest

from maillage.core.models import AuditEntry
from maillage.mentoring.services import create_group
from maillage.programs.models import Program, Role
from maillage.programs.services import close_program, reach_stage

pytestmark = pytest.mark.django_db

Stage = Program.Status


def test_the_first_group_moves_the_program_to_running(program_a, mentor, mentee, coordinator):
    create_group(
        program=program_a,
        mentor_roles=[program_a.roles.get(person=mentor, kind=Role.Kind.MENTOR)],
        mentee_roles=[program_a.roles.get(person=mentee, kind=Role.Kind.MENTEE)],
        approved_by=coordinator.user,
    )
    program_a.refresh_from_db()
    assert program_a.status == Stage.RUNNING
    assert AuditEntry.objects.filter(action="program.stage", object_id=str(program_a.pk)).exists()


def test_it_never_goes_back(program_a):
    reach_stage(program=program_a, stage=Stage.MATCHING)
    reach_stage(program=program_a, stage=Stage.RECRUITING)
    program_a.refresh_from_db()
    assert program_a.status == Stage.MATCHING


def test_a_stale_copy_does_not_move_a_closed_program_back(program_a):
    stale = Program.objects.get(pk=program_a.pk)
    close_program(program=program_a)
    reach_stage(program=stale, stage=Stage.RUNNING)
    program_a.refresh_from_db()
    assert program_a.status == Stage.CLOSED
