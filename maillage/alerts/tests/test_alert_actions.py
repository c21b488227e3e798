"""Each alert's action leads to a page that opens for the person it is shown to."""

from __future__ import annotations

import pytest

from maillage.alerts.models import Alert, Kind
from maillage.alerts.selectors import action_for
from maillage.conftest import login
from maillage.mentoring.services import set_designation

from .conftest import APPROVED, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_designated(group, mentee, compute, program_a) -> Alert:
    set_designation(member=member(group, mentee), is_designated=False)
    compute(program_a, APPROVED)
    return Alert.objects.get(group=group, kind=Kind.NO_DESIGNATED)


def test_designation_action_opens_the_form_for_the_coordination(
    client, coordinator, group, mentee, no_designated
):
    label, url = action_for(no_designated)
    assert label == "Mettre à jour la personne désignée"
    assert url.endswith(f"#designation-{member(group, mentee).pk}")
    page = login(client, coordinator).get(url.split("#")[0])
    assert page.status_code == 200
    assert f'id="designation-{member(group, mentee).pk}"' in page.content.decode()


def test_designation_action_sends_the_mentee_to_their_group(client, mentee, no_designated):
    label, url = action_for(no_designated, person=mentee)
    assert label == "Voir le groupe"
    assert login(client, mentee).get(url).status_code == 200
