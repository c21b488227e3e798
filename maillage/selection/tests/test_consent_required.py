"""Law 25 (issue 12, finding 10): nobody is selected, nor given a role, without consent."""

from __future__ import annotations

import pytest

from maillage.conftest import login
from maillage.intake.models import Application
from maillage.portability.services import import_applications, parse_upload
from maillage.portability.tests.conftest import csv_bytes, upload
from maillage.programs.models import Consent, Role
from maillage.selection.errors import SelectionError
from maillage.selection.models import Decision
from maillage.selection.services import decide_application

from .conftest import make_application

# How selection records the application's consent is what this module tests: nobody consents by
# default here (maillage/conftest.py).
pytestmark = pytest.mark.without_default_consent

HEADERS = ["Organisation", "Personne contact", "Courriel", "Région", "Statut", "Consentement donné"]


def _import(program, by, *rows):
    sheet = parse_upload(upload("candidatures.csv", csv_bytes([HEADERS, *rows])))
    return import_applications(program=program, rows=sheet, skip_bad_rows=False, by=by)


def test_an_application_imported_without_consent_cannot_be_selected(program_a, coordinator):
    report = _import(
        program_a,
        coordinator.user,
        ["Épicerie Solidaire", "Anaïs Pépin", "anais@epicerie.test", "Estrie", "reçue", "non"],
    )
    assert report.saved, [r.errors for r in report.rows]
    application = Application.objects.get(email="anais@epicerie.test")
    with pytest.raises(SelectionError, match="consentement"):
        decide_application(
            application=application, outcome="selected", reason="Bon dossier", by=coordinator.user
        )
    assert not Role.objects.filter(program=program_a, kind=Role.Kind.MENTEE).exists()
    assert not Decision.objects.exists()
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED and application.person is None


def test_a_file_cannot_mark_selected_an_application_without_consent(program_a, coordinator):
    report = _import(
        program_a,
        coordinator.user,
        ["Épicerie Solidaire", "Anaïs Pépin", "anais@epicerie.test", "Estrie", "retenue", "non"],
    )
    assert not report.saved
    assert "sans consentement" in " ".join(report.rows[0].errors)
    assert not Application.objects.exists()


def test_the_decide_page_says_why_and_changes_nothing(client, program_a, coordinator):
    application = make_application(program_a, consent_given=False, consent_source="")
    login(client, coordinator)
    from django.urls import reverse

    response = client.post(
        reverse("selection:decide", args=[program_a.pk, application.pk]),
        {"decision-outcome": "selected", "decision-reason": "Bon dossier"},
        follow=True,
    )
    assert "ne peut être retenue" in response.content.decode()
    assert not program_a.roles.filter(kind=Role.Kind.MENTEE).exists()


def test_selection_carries_the_applications_consent_to_the_person(program_a, coordinator):
    application = make_application(program_a)
    decide_application(
        application=application, outcome="selected", reason="Bon dossier", by=coordinator.user
    )
    application.refresh_from_db()
    consent = Consent.objects.get(person=application.person, program=program_a)
    assert consent.source == Consent.Source.FORM and consent.withdrawn_at is None
    assert consent.recorded_by == coordinator.user
