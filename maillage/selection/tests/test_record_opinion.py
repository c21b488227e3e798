from __future__ import annotations

from datetime import date

from django.urls import reverse

from maillage.conftest import login
from maillage.core.models import AuditEntry
from maillage.selection.models import CommitteeOpinion
from maillage.selection.services import record_opinion


def test_opinion_is_recorded_with_who_and_when(application, coordinator):
    opinion = record_opinion(
        application=application,
        opinion=CommitteeOpinion.Opinion.RESERVED,
        comment="Besoin à préciser.",
        meeting_date=date(2022, 4, 28),
        by=coordinator.user,
    )
    assert opinion.recorded_by == coordinator.user
    assert opinion.recorded_at is not None
    entry = AuditEntry.objects.get(model="selection.CommitteeOpinion", object_id=str(opinion.pk))
    assert entry.actor == coordinator.user
    assert entry.program_id == application.program_id


def test_committee_member_records_opinion_from_the_page(client, committee_member, application):
    response = login(client, committee_member).post(
        reverse("selection:opinion", args=[application.program_id, application.pk]),
        {
            "avis-opinion": "favorable",
            "avis-comment": "Unanime.",
            "avis-meeting_date": "2022-04-28",
        },
    )
    assert response.status_code == 302
    opinion = CommitteeOpinion.objects.get(application=application)
    assert opinion.recorded_by == committee_member.user
    page = client.get(
        reverse("selection:application", args=[application.program_id, application.pk])
    )
    assert "Consigné par Chloé Comité" in page.content.decode()


def test_latest_opinion_shows_in_the_ranking(as_coordinator, application, coordinator):
    record_opinion(application=application, opinion="unfavorable", by=coordinator.user)
    record_opinion(application=application, opinion="favorable", by=coordinator.user)
    html = as_coordinator.get(
        reverse("selection:applications", args=[application.program_id])
    ).content.decode()
    row = html[html.index(application.organization_name) :]
    assert "Favorable" in row[:2000] and "Défavorable" not in row[:2000]


def test_missing_opinion_is_refused_and_comment_kept(as_coordinator, application):
    response = as_coordinator.post(
        reverse("selection:opinion", args=[application.program_id, application.pk]),
        {"avis-comment": "À revoir en comité."},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choisissez l’avis du comité." in html
    assert "À revoir en comité." in html
    assert not CommitteeOpinion.objects.exists()
