"""Accreditation's personas, beside the suite's (Camille coordinates program A, Olivier is the
outsider): the network program A is shared with, its staff member Sophie, and Anne, whom
Sophie appointed assessor."""

from __future__ import annotations

import pytest

from maillage.accreditation import services
from maillage.accreditation.models import Assessor, Dossier
from maillage.conftest import make_person
from maillage.core.models import Person
from maillage.measurement import services as measurement
from maillage.measurement.models import Network, NetworkRole
from maillage.measurement.tests.samples import walk_samples
from maillage.programs.models import Program


@pytest.fixture
def network(program_a) -> Network:
    walk_samples(program_a)  # shares program A with a network
    return Network.objects.get(members__programs__program=program_a)


@pytest.fixture
def staff(network) -> Person:
    person = make_person("Sophie", "Soutien")
    measurement.assign_network_role(network=network, person=person, kind=NetworkRole.Kind.STAFF)
    return person


@pytest.fixture
def assessor(network, staff) -> Assessor:
    person = make_person("Anne", "Évaluatrice")
    measurement.assign_network_role(network=network, person=person, kind=NetworkRole.Kind.STEERING)
    return services.appoint_assessor(network=network, person=person, by=staff.user)


@pytest.fixture
def dossier(program_a: Program, coordinator) -> Dossier:
    return services.start_dossier(
        program=program_a, framework="mentorat-quebec", part="design", by=coordinator.user
    )


@pytest.fixture
def submission(dossier, assessor, coordinator):
    return services.submit_dossier(dossier=dossier, assessor=assessor, by=coordinator.user)


def rate_all(submission, by, value: str = "met") -> None:
    for criterion in submission.dossier.get_part().criteria:
        services.rate_criterion(
            submission=submission, criterion=criterion.code, value=value, comment="", by=by
        )
