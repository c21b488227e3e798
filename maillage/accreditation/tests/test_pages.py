"""The coordinator's and the assessor's pages, through the views: what they show, what a bad
input keeps, and the PDF stored once per finished submission."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from maillage.accreditation.models import Dossier, Submission

from .conftest import rate_all

pytestmark = pytest.mark.django_db


def test_the_program_page_links_to_accreditation(client, coordinator, program_a):
    client.force_login(coordinator.user)
    page = client.get(f"/programmes/{program_a.pk}/").content.decode()
    assert f"/programmes/{program_a.pk}/accreditation/" in page


def test_a_coordinator_starts_a_dossier_from_the_list(client, coordinator, program_a):
    client.force_login(coordinator.user)
    home = client.get(f"/programmes/{program_a.pk}/accreditation/").content.decode()
    assert "Design" in home and "Déploiement" in home and "MENTOR" in home
    response = client.post(
        f"/programmes/{program_a.pk}/accreditation/nouveau/",
        {"framework": "mentorat-quebec", "part": "design"},
    )
    dossier = Dossier.objects.get(program=program_a)
    assert response["Location"] == f"/programmes/{program_a.pk}/accreditation/{dossier.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Critères de sélection" in page and "Complétude du dossier" in page
    assert "Manquant" in page


def test_the_dossier_shows_the_gauge_and_missing_evidence(client, coordinator, dossier):
    client.force_login(coordinator.user)
    page = client.get(f"/programmes/{dossier.program_id}/accreditation/{dossier.pk}/").content
    page = page.decode()
    assert '<meter id="completude"' in page
    assert "Preuves manquantes" in page


def test_a_bad_file_keeps_the_title_typed(client, coordinator, dossier):
    client.force_login(coordinator.user)
    response = client.post(
        f"/programmes/{dossier.program_id}/accreditation/{dossier.pk}/documents/ajouter/",
        {
            "criterion": "design-training",
            "title": "Mes formations",
            "upload": SimpleUploadedFile("x.exe", b"MZ"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ce type de fichier n’est pas accepté" in page
    assert 'value="Mes formations"' in page
    assert not dossier.documents.exists()


def test_a_stale_comment_shows_both_versions(client, coordinator, dossier):
    client.force_login(coordinator.user)
    url = f"/programmes/{dossier.program_id}/accreditation/{dossier.pk}/commentaire/"
    first = {"criterion": "design-tools", "comment": "Version A", "revision": "0"}
    client.post(url, first)
    response = client.post(url, {**first, "comment": "Version B"})
    page = response.content.decode()
    assert "Version A" in page and "Version B" in page
    assert dossier.notes.get().comment == "Version A"


def test_submit_page_lists_what_is_incomplete(client, coordinator, dossier, assessor):
    client.force_login(coordinator.user)
    url = f"/programmes/{dossier.program_id}/accreditation/{dossier.pk}/soumettre/"
    page = client.get(url).content.decode()
    assert "Formation des participant·es" in page and assessor.person.full_name in page
    response = client.post(url, {"assessor": assessor.pk})
    assert response.status_code == 302
    assert Submission.objects.filter(dossier=dossier).count() == 1


def test_assessor_rates_and_a_bad_decision_keeps_what_was_typed(client, submission, assessor):
    client.force_login(assessor.person.user)
    base = f"/accreditation/evaluations/{submission.pk}/"
    client.post(base + "apprecier/", {"criterion": "design-tools", "value": "exemplary"})
    assert submission.ratings.get().value == "exemplary"
    response = client.post(
        base + "decider/", {"outcome": "accredited", "level": "full", "comment": "Bravo"}
    )
    page = response.content.decode()
    assert "Appréciez chaque critère avant de décider." in page
    assert "Bravo" in page


def test_the_assessor_decides_and_the_coordinator_reads_the_ratings(
    client, submission, assessor, coordinator
):
    rate_all(submission, assessor.person.user)
    client.force_login(assessor.person.user)
    expires = (timezone.localdate() + timedelta(days=700)).isoformat()
    client.post(
        f"/accreditation/evaluations/{submission.pk}/decider/",
        {"outcome": "accredited", "level": "distinction", "expires_on": expires},
    )
    submission.refresh_from_db()
    assert submission.level == "distinction"
    client.force_login(coordinator.user)
    dossier = submission.dossier
    page = client.get(f"/programmes/{dossier.program_id}/accreditation/{dossier.pk}/").content
    assert "Accréditation avec distinction" in page.decode()
    assert "Conforme" in page.decode()


def test_the_pdf_of_a_decided_submission_is_rendered_once_and_stored(
    client, submission, assessor, coordinator
):
    rate_all(submission, assessor.person.user)
    from maillage.accreditation import services

    services.decide(
        submission=submission,
        accredited=True,
        level="initial",
        expires_on=timezone.localdate() + timedelta(days=300),
        comment="",
        by=assessor.person.user,
    )
    client.force_login(coordinator.user)
    dossier = submission.dossier
    url = f"/programmes/{dossier.program_id}/accreditation/{dossier.pk}/soumissions/{submission.pk}/pdf/"
    response = client.get(url)
    submission.refresh_from_db()
    if submission.pdf_state == Submission.PdfState.UNAVAILABLE:
        pytest.skip("WeasyPrint's system libraries are missing here")
    assert submission.pdf_state == Submission.PdfState.READY
    assert response["Content-Type"] == "application/pdf"
    name = submission.pdf.name
    client.get(url)
    submission.refresh_from_db()
    assert submission.pdf.name == name


def test_staff_appoint_an_assessor_from_the_network_people(client, staff, network):
    from maillage.conftest import make_person
    from maillage.measurement import services as measurement
    from maillage.measurement.models import NetworkRole

    person = make_person("Nora", "Comité")
    measurement.assign_network_role(network=network, person=person, kind=NetworkRole.Kind.STEERING)
    client.force_login(staff.user)
    url = f"/accreditation/reseaux/{network.pk}/evaluateurs/"
    assert "Nora Comité" in client.get(url).content.decode()
    client.post(url, {"person": person.pk})
    assert network.assessors.filter(person=person, ended_at__isnull=True).exists()


def test_the_assessor_finds_the_dossier_from_mes_programmes(client, submission, assessor):
    client.force_login(assessor.person.user)
    page = client.get("/programmes/").content.decode()
    assert "Évaluer 1 dossier d’accréditation" in page
