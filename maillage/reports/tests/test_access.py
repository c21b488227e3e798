"""Who sees the indicators and the report: 404 for anyone without the right."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.reports import services
from maillage.reports.models import Report

pytestmark = pytest.mark.django_db


def _get_urls(program):
    pk = program.pk
    return [
        reverse("reports:indicators", args=[pk]),
        reverse("reports:report", args=[pk]),
        reverse("reports:pdf", args=[pk]),
        reverse("reports:export", args=[pk, "csv"]),
        reverse("reports:export", args=[pk, "xlsx"]),
    ]


def _post_urls(program):
    return [
        reverse("reports:recommendations", args=[program.pk]),
        reverse("reports:publish", args=[program.pk]),
        reverse("reports:new_version", args=[program.pk]),
    ]


def _published(program, coordinator):
    report = services.get_or_create_draft(program=program, language="fr")
    return services.publish_report(report=report, by=coordinator.user)


@pytest.mark.parametrize("who", ["outsider", "mentor", "mentee", "committee_member"])
def test_outsider_and_participants_get_404_everywhere(request, client, program_a, coordinator, who):
    report = _published(program_a, coordinator)
    login(client, request.getfixturevalue(who))
    for url in _get_urls(program_a):
        assert client.get(url).status_code == 404, url
    for url in _post_urls(program_a):
        assert client.post(url, {"report": report.pk}).status_code == 404, url
        assert client.get(url).status_code == 404, url  # not even "method not allowed"
    report.refresh_from_db()
    assert report.is_published


def test_funder_sees_only_the_published_report(client, program_a, coordinator, funder):
    login(client, funder)
    indicators, report_url, pdf, csv, xlsx = _get_urls(program_a)
    # Nothing published yet: no draft for a funder; the page says so (the menu links to it).
    page = client.get(report_url)
    assert page.status_code == 200
    assert "pas encore publié" in page.content.decode()
    for url in (pdf, csv):
        assert client.get(url).status_code == 404
    assert not Report.objects.exists()  # the funder's visit created no draft either
    report = _published(program_a, coordinator)
    assert client.get(report_url).status_code == 200
    assert client.get(pdf).status_code == 200
    assert client.get(csv).status_code == 200
    # Row-level or unpublished: still 404.
    assert client.get(indicators).status_code == 404
    assert client.get(report_url, {"lang": "en"}).status_code == 404  # not published in English
    for url in _post_urls(program_a):
        assert client.post(url, {"report": report.pk}).status_code == 404


def test_observer_sees_indicators_and_published_report_only(
    client, program_a, coordinator, observer
):
    login(client, observer)
    indicators, report_url, *_ = _get_urls(program_a)
    assert client.get(indicators).status_code == 200
    assert "pas encore publié" in client.get(report_url).content.decode()
    _published(program_a, coordinator)
    assert client.get(report_url).status_code == 200


def test_coordinator_of_b_cannot_reach_a_report_through_b(client, program_a, coordinator, outsider):
    """A report of A posted under B's address (where Olivier is coordinator) is not found."""
    report = services.get_or_create_draft(program=program_a, language="fr")
    program_b = outsider.roles.get().program
    login(client, outsider)
    response = client.post(
        reverse("reports:recommendations", args=[program_b.pk]),
        {"report": report.pk, "recommendations": "Piraté"},
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert "Piraté" not in report.recommendations


def test_coordinator_sees_every_page(as_coordinator, program_a):
    for url in _get_urls(program_a):
        assert as_coordinator.get(url).status_code == 200, url
    assert as_coordinator.get(_get_urls(program_a)[1], {"lang": "en"}).status_code == 200


def test_a_report_published_in_english_only_is_shown_rather_than_404(
    client, program_a, coordinator, funder
):
    report = services.get_or_create_draft(program=program_a, language="en")
    services.publish_report(report=report, by=coordinator.user)
    login(client, funder)
    response = client.get(reverse("reports:report", args=[program_a.pk]))
    assert response.status_code == 200
    assert response.context["report"].language == "en"
