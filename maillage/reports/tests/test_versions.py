"""After a publication, a new version: a draft again, while readers keep the published one."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from maillage.conftest import login
from maillage.reports import selectors, services
from maillage.reports.errors import ReportError
from maillage.reports.models import Report

pytestmark = pytest.mark.django_db


def _publish(program, coordinator, text="Recruter tôt"):
    report = services.get_or_create_draft(program=program, language="fr")
    services.update_recommendations(report=report, text=text, by=coordinator.user)
    return services.publish_report(report=report, by=coordinator.user)


def test_new_version_is_a_draft_that_starts_from_the_published_words(program_a, coordinator):
    first = _publish(program_a, coordinator)
    draft = services.start_new_version(report=first, by=coordinator.user)
    assert draft.version == 2
    assert not draft.is_published
    assert draft.snapshot is None
    assert draft.recommendation_list() == ["Recruter tôt"]
    first.refresh_from_db()
    assert first.is_published and first.snapshot  # untouched
    # The coordinator's page now opens on the draft.
    assert services.get_or_create_draft(program=program_a, language="fr") == draft


def test_only_one_draft_and_only_from_the_latest_published(program_a, coordinator):
    first = _publish(program_a, coordinator)
    services.start_new_version(report=first, by=coordinator.user)
    with pytest.raises(ReportError, match="déjà en préparation"):
        services.start_new_version(report=first, by=coordinator.user)
    draft = services.get_or_create_draft(program=program_a, language="fr")
    with pytest.raises(ReportError):
        services.start_new_version(report=draft, by=coordinator.user)  # a draft is no start
    # The database refuses a second draft even if a service forgot to check.
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(program=program_a, language="fr", version=9)


def test_readers_keep_the_published_version_until_the_next_is_published(
    client, as_coordinator, program_a, coordinator, funder
):
    first = _publish(program_a, coordinator, "Première recommandation")
    url = reverse("reports:report", args=[program_a.pk])
    response = as_coordinator.post(
        reverse("reports:new_version", args=[program_a.pk]), {"report": first.pk}
    )
    assert response.status_code == 302
    draft = Report.objects.get(program=program_a, version=2)
    services.update_recommendations(
        report=draft, text="Deuxième recommandation", by=coordinator.user
    )
    page = as_coordinator.get(url).content.decode()
    assert "Deuxième recommandation" in page
    assert "lisent la version 1" in page  # the coordinator is told what readers see

    login(client, funder)
    body = client.get(url).content.decode()
    assert "Première recommandation" in body and "Deuxième recommandation" not in body
    assert client.get(url, {"version": 2}).status_code == 404  # a draft is not for readers

    services.publish_report(report=draft, by=coordinator.user)
    body = client.get(url).content.decode()
    assert "Deuxième recommandation" in body
    # The earlier version stays readable, with a pointer to the latest.
    old = client.get(url, {"version": 1}).content.decode()
    assert "Première recommandation" in old and "la version la plus récente" in old.lower()
    pdf = client.get(reverse("reports:pdf", args=[program_a.pk]), {"version": 1})
    assert pdf.status_code == 200 and "-v1.pdf" in pdf["Content-Disposition"]


def test_published_snapshot_of_each_version_is_its_own(program_a, coordinator):
    first = _publish(program_a, coordinator, "Une")
    draft = services.start_new_version(report=first, by=coordinator.user)
    services.update_recommendations(report=draft, text="Deux", by=coordinator.user)
    second = services.publish_report(report=draft, by=coordinator.user)
    first.refresh_from_db()
    assert selectors.report_data(first)["recommendations"] == ["Une"]
    assert selectors.report_data(second)["recommendations"] == ["Deux"]


def test_new_version_button_is_not_for_others(client, program_a, coordinator, funder, outsider):
    first = _publish(program_a, coordinator)
    url = reverse("reports:new_version", args=[program_a.pk])
    for person in (funder, outsider):
        login(client, person)
        assert client.post(url, {"report": first.pk}).status_code == 404
        assert client.get(url).status_code == 404
    assert Report.objects.count() == 1


def test_readers_are_offered_the_other_language_only_once_published(
    client, program_a, coordinator, funder
):
    _publish(program_a, coordinator)
    url = reverse("reports:report", args=[program_a.pk])
    login(client, funder)
    assert "English version" not in client.get(url).content.decode()
    english = services.get_or_create_draft(program=program_a, language="en")
    assert "English version" not in client.get(url).content.decode()  # a draft: not yet
    services.publish_report(report=english, by=coordinator.user)
    assert "English version" in client.get(url).content.decode()
    assert client.get(url, {"lang": "en"}).status_code == 200


def test_english_report_tools_table_has_english_punctuation(program_a, coordinator):
    from django.template.loader import render_to_string

    data = selectors.report_data(services.get_or_create_draft(program=program_a, language="en"))
    data["tools_by_track"] = [
        {"track": "Logistics", "total": 2, "types": [["Guide", 2]], "directions": []}
    ]
    from django.utils import translation

    with translation.override("fr"):
        html = render_to_string("reports/_report_body.html", {"data": data})
    assert "Guide : 2" in html or "Guide : 2" in html
    with translation.override("en"):
        html = render_to_string("reports/_report_body.html", {"data": data})
    assert "Guide: 2" in html
