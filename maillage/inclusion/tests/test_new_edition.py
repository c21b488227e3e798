"""A new edition tracks the same groups with the same objectives; nobody's answer carries over:
each consent was given to one edition."""

from __future__ import annotations

import uuid

import pytest

from maillage.inclusion import services
from maillage.inclusion.models import Declaration
from maillage.programs.services import duplicate_program

from .conftest import declare

pytestmark = pytest.mark.django_db


def test_a_new_edition_keeps_the_groups_and_objectives_not_the_answers(
    program_a, coordinator, mentee, women
):
    services.update_group(
        group=women,
        by=coordinator.user,
        seen=women.revision,
        label_fr="Femmes",
        label_en="Women",
        target_matched=40,
    )
    declare(mentee, program_a, members=[women])
    copy, carried = duplicate_program(
        source=program_a, by=coordinator.user, token=uuid.uuid4(), title="Programme A 2027"
    )
    assert "1 groupe suivi pour l’inclusion, avec ses objectifs" in carried
    group = copy.inclusion_groups.get()
    assert (group.label_fr, group.label_en, group.target_matched) == ("Femmes", "Women", 40)
    assert not Declaration.objects.filter(program=copy).exists()
