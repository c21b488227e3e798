"""Reads of answers and meetings name their program in the trail (issue 12), so that the
privacy officer reads one program's consultations; the register answers a portability request
with the person's data as CSV or JSON."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from maillage.conftest import login
from maillage.core.models import AuditEntry
from maillage.evaluation.models import Invitation, Round
from maillage.evaluation.services import create_questionnaire_from_template
from maillage.mentoring.models import Group, GroupMember, Meeting
from maillage.privacy.models import PrivacyRequest
from maillage.privacy.services import file_request

TRAIL = "/confidentialite/journal/"


@pytest.fixture
def officer(db, outsider):
    outsider.user.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    return outsider


@pytest.fixture
def invitation(program_a, mentee) -> Invitation:
    questionnaire = create_questionnaire_from_template(program=program_a, kind="monthly")
    today = timezone.localdate()
    round_ = Round.objects.create(
        program=program_a, questionnaire=questionnaire, send_on=today, closes_on=today
    )
    return Invitation.objects.create(
        round=round_, person=mentee, role_kind="mentee", submitted_at=timezone.now()
    )


@pytest.fixture
def meeting(program_a, mentor, mentee) -> Meeting:
    group = Group.objects.create(
        program=program_a, name="Groupe 1", approved_at=timezone.now(), approved_by_name="Camille"
    )
    for person, side in ((mentor, "mentor"), (mentee, "mentee")):
        role = program_a.roles.get(person=person, kind=side)
        GroupMember.objects.create(group=group, role=role, side=side)
    return Meeting.objects.create(group=group, starts_at=timezone.now())


def test_reading_answers_and_a_meeting_names_the_program(
    client, coordinator, program_a, invitation, meeting
):
    login(client, coordinator)
    answers = reverse("evaluation:response", args=[program_a.pk, invitation.pk])
    assert client.get(answers).status_code == 200
    notes = reverse("mentoring:meeting", args=[program_a.pk, meeting.group_id, meeting.pk])
    assert client.get(notes).status_code == 200
    reads = AuditEntry.objects.filter(
        action="view", model__in=["evaluation.Invitation", "mentoring.Meeting"]
    )
    assert {(r.model, r.program_id) for r in reads} == {
        ("evaluation.Invitation", program_a.pk),
        ("mentoring.Meeting", program_a.pk),
    }


def test_the_officer_filters_the_trail_by_program(
    client, coordinator, officer, program_a, invitation, outsider
):
    login(client, coordinator)
    client.get(reverse("evaluation:response", args=[program_a.pk, invitation.pk]))
    AuditEntry.objects.create(
        action="view", model="intake.Application", object_repr="Lu ailleurs", program_id=999999
    )
    login(client, officer)
    page = client.get(TRAIL, {"program": program_a.pk, "action": "view"}).content.decode()
    assert "1 entrée" in page and "Lu ailleurs" not in page
    assert f'<option value="{program_a.pk}"' in page and "Programme A" in page
    export = client.get(TRAIL, {"program": program_a.pk, "action": "view", "format": "csv"})
    lines = export.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and "evaluation.Invitation" in lines[1]


def test_the_register_answers_portability_with_csv_and_json(client, officer, mentee):
    item = file_request(
        person=mentee, kind=PrivacyRequest.Kind.PORTABILITY, details="", by=mentee.user
    )
    login(client, officer)
    page = client.get(reverse("privacy:register_item", args=[item.pk])).content.decode()
    csv_url = reverse("privacy:register_data", args=[item.pk, "csv"])
    assert f'href="{csv_url}"' in page
    response = client.get(csv_url)
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        profile = archive.read("01-fiche.csv").decode("utf-8-sig")
    assert mentee.email in profile and "Élise" in profile
    json_data = client.get(reverse("privacy:register_data", args=[item.pk, "json"])).json()
    assert json_data["person"]["email"] == mentee.email
    exports = AuditEntry.objects.filter(
        action="export", actor=officer.user, changes__request=item.pk
    )
    assert exports.count() == 2
    assert client.get(reverse("privacy:register_data", args=[item.pk, "xml"])).status_code == 404
