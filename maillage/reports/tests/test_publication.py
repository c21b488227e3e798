"""Recommendations: pre-filled from the health check, editable in the draft, frozen on publishing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.alerts import health
from maillage.conftest import make_person
from maillage.mentoring import services as mentoring
from maillage.mentoring.models import Meeting
from maillage.programs.models import Role
from maillage.programs.services import assign_role
from maillage.reports import selectors, services
from maillage.reports.errors import ReportError
from maillage.reports.models import Report

pytestmark = pytest.mark.django_db


def test_draft_starts_with_the_health_checks_recommendations(program_a):
    report = services.get_or_create_draft(program=program_a, language="fr")
    problems = [
        str(c.recommendation)
        for c in health.run_checks(program_a)
        if c.status in (health.PROBLEM, health.WARNING) and c.recommendation
    ]
    assert problems
    assert report.recommendation_list() == problems
    assert report.status == Report.Status.DRAFT


def test_coordinator_edits_then_publication_freezes(as_coordinator, program_a, coordinator):
    url = reverse("reports:report", args=[program_a.pk])
    as_coordinator.get(url)
    report = Report.objects.get(program=program_a, language="fr")
    response = as_coordinator.post(
        reverse("reports:recommendations", args=[program_a.pk]),
        {
            "report": report.pk,
            "recommendations": "Prévoir une rencontre de démarrage\n\nRecruter tôt",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.recommendation_list() == ["Prévoir une rencontre de démarrage", "Recruter tôt"]
    assert "Recruter tôt" in as_coordinator.get(url).content.decode()

    as_coordinator.post(reverse("reports:publish", args=[program_a.pk]), {"report": report.pk})
    report.refresh_from_db()
    assert report.is_published
    assert report.published_by == coordinator.user
    assert report.published_at is not None
    assert report.snapshot["recommendations"] == [
        "Prévoir une rencontre de démarrage",
        "Recruter tôt",
    ]
    frozen = report.snapshot

    # New data after publication does not change the published figures.
    mentor = make_person("Marc", "Mentor")
    mentee = make_person("Élise", "Mentorée")
    roles = [
        assign_role(program=program_a, person=p, kind=k)
        for p, k in ((mentor, Role.Kind.MENTOR), (mentee, Role.Kind.MENTEE))
    ]
    group = mentoring.create_group(
        program=program_a,
        mentor_roles=[roles[0]],
        mentee_roles=[roles[1]],
        approved_by=coordinator.user,
        approved_at=timezone.now() - timedelta(days=30),
    )
    meeting = mentoring.schedule_meeting(
        group=group,
        by=coordinator,
        starts_at=timezone.now() - timedelta(days=2),
        duration_minutes=120,
    )
    mentoring.record_meeting(meeting=meeting, by=mentor, present=[mentor, mentee], notes="")
    assert Meeting.objects.filter(status=Meeting.Status.HELD).count() == 1
    report.refresh_from_db()
    assert selectors.report_data(report) == frozen
    live = (
        services.build_report(program_a, language="fr")
        if hasattr(services, "build_report")
        else None
    )
    del live

    # And its recommendations no longer change.
    response = as_coordinator.post(
        reverse("reports:recommendations", args=[program_a.pk]),
        {"report": report.pk, "recommendations": "Autre chose"},
    )
    assert response.status_code == 400
    assert "publié" in response.content.decode()
    report.refresh_from_db()
    assert report.snapshot == frozen
    with pytest.raises(ReportError):
        services.publish_report(report=report, by=coordinator.user)


def test_recommendations_naming_someone_are_refused(as_coordinator, program_a, mentor):
    report = services.get_or_create_draft(program=program_a, language="fr")
    response = as_coordinator.post(
        reverse("reports:recommendations", args=[program_a.pk]),
        {"report": report.pk, "recommendations": "Remercier Marc Mentor pour son temps"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Retirez les noms" in body
    assert "Remercier Marc Mentor pour son temps" in body  # what was typed is kept
    report.refresh_from_db()
    assert "Marc" not in report.recommendations


def test_english_report_by_query_string(as_coordinator, program_a):
    as_coordinator.get(reverse("reports:report", args=[program_a.pk]), {"lang": "en"})
    english = Report.objects.get(program=program_a)
    assert english.language == "en"
    french = services.get_or_create_draft(program=program_a, language="fr")
    # The pre-filled recommendations come from the health check, in the report's language.
    assert english.recommendations and english.recommendations != french.recommendations
    assert selectors.report_data(english)["language"] == "en"
