"""The demo's accreditation: the 2025 edition's *Design* dossier, half filled from its data,
reviewed by the demo network's assessor and sent back for the missing evidence."""

from __future__ import annotations

import pytest

from maillage.accreditation import selectors
from maillage.accreditation.models import Dossier, Submission
from maillage.conftest import fresh, shared_data
from maillage.demo.accreditation import build_demo_accreditation
from maillage.demo.network import build_demo_network

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory):
    from maillage.demo.editions import build_demo
    from maillage.demo.pilot import build_past_edition

    with shared_data(django_db_blocker, tmp_path_factory.mktemp("uploads")):
        program = build_demo()
        build_past_edition()
        network = build_demo_network(program)
        yield build_demo_accreditation(network)


@pytest.fixture
def dossier(built, db) -> Dossier:
    return fresh(built)


def test_the_design_dossier_is_filled_from_the_data(dossier):
    rows = {r.criterion.code: r for r in selectors.live_rows(dossier)}
    assert rows["design-selection"].coverage == selectors.COVERED
    assert rows["design-tools"].coverage == selectors.COVERED
    # The edition's mentors and mentees followed their modules (demo/training.py): the training
    # app answers for the criterion. Inclusion is built by its own demo, not loaded here.
    assert rows["design-training"].coverage == selectors.COVERED
    assert rows["design-inclusion"].coverage == selectors.MISSING
    assert selectors.gauge(list(rows.values())).percent == 75


def test_an_assessor_reviewed_it_and_asked_for_changes(dossier):
    submission = dossier.submissions.get()
    assert submission.outcome == Submission.Outcome.CHANGES
    assert submission.ratings.count() == len(dossier.get_part().criteria)
    assert submission.assessor.person.user is not None
    assert dossier.status == Dossier.Status.CHANGES


def test_building_it_twice_changes_nothing(dossier):
    from maillage.measurement.models import Network

    before = (Dossier.objects.count(), Submission.objects.count())
    assert (
        build_demo_accreditation(
            Network.objects.get(pk=dossier.submissions.get().assessor.network_id)
        )
        == dossier
    )
    assert (Dossier.objects.count(), Submission.objects.count()) == before
