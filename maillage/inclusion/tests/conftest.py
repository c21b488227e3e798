"""Program A tracks two groups; Élise (mentee) and Marc (mentor) are the personas who answer."""

from __future__ import annotations

import pytest

from maillage.conftest import make_person
from maillage.inclusion import services
from maillage.inclusion.models import InclusionGroup, Purpose
from maillage.programs.models import Role
from maillage.programs.services import assign_role

K = 5  # the smallest threshold the platform allows: fewer people to build in each test


@pytest.fixture(autouse=True)
def small_k(settings):
    settings.MAILLAGE_SMALL_CELL_K = K


@pytest.fixture
def women(program_a, coordinator) -> InclusionGroup:
    return services.add_group(program=program_a, by=coordinator.user, key="women")


@pytest.fixture
def newcomers(program_a, coordinator) -> InclusionGroup:
    return services.add_group(program=program_a, by=coordinator.user, key="newcomers")


def declare(person, program, *, members=(), wishes=(), purpose=Purpose.OBJECTIVES):
    return services.declare(
        person=person,
        program=program,
        purpose=purpose,
        by=person.user,
        members=list(members),
        wishes=list(wishes),
        consented=True,
        k=K,
    )


def mentees(program, n: int, prefix: str = "Personne") -> list:
    out = []
    for i in range(n):
        person = make_person(f"{prefix}{i}", "Test")
        assign_role(program=program, person=person, kind=Role.Kind.MENTEE)
        out.append(person)
    return out
