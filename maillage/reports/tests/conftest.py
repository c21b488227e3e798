from __future__ import annotations

import pytest

from maillage.conftest import make_person
from maillage.programs.models import Role
from maillage.programs.services import assign_role


@pytest.fixture
def funder(db, program_a):
    person = make_person("Fanny", "Bailleur")
    assign_role(program=program_a, person=person, kind=Role.Kind.FUNDER)
    return person


@pytest.fixture
def observer(db, program_a):
    person = make_person("Odile", "Observatrice")
    assign_role(program=program_a, person=person, kind=Role.Kind.OBSERVER)
    return person
