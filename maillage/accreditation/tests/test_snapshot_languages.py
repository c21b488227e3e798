"""The frozen snapshot in the reader's language: a French coordinator submits, an English
assessor reads the evidence in English (the same frozen data, worded in both languages at
submission), and a later change to the program's data alters neither."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from maillage.accreditation import selectors, services
from maillage.selection.models import Criterion

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_assessor(assessor):
    person = assessor.person
    person.language = "en"
    person.save(update_fields=["language"])
    return assessor


@pytest.fixture
def submitted_in_french(dossier, english_assessor, coordinator):
    with translation.override("fr"):
        return services.submit_dossier(
            dossier=dossier, assessor=english_assessor, by=coordinator.user
        )


def _lines(submission, language: str) -> list[str]:
    with translation.override(language):
        return [
            line for r in selectors.frozen_rows(submission) for e in r.evidence for line in e.lines
        ]


def test_the_snapshot_holds_both_languages(submitted_in_french):
    french, english = _lines(submitted_in_french, "fr"), _lines(submitted_in_french, "en")
    assert len(french) == len(english)
    assert "Aucun outil partagé dans les groupes." in french
    assert "No tools shared in groups." in english
    assert "Aucun outil partagé dans les groupes." not in english


def test_an_english_assessor_reads_english_frozen_evidence(submitted_in_french, client):
    client.force_login(submitted_in_french.assessor.person.user)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("accreditation:review", args=[submitted_in_french.pk])).content
    html = html.decode()
    assert "No tools shared in groups." in html
    assert "Aucun outil partagé dans les groupes." not in html


def test_both_languages_stay_frozen(submitted_in_french, program_a):
    before = {lang: _lines(submitted_in_french, lang) for lang in ("fr", "en")}
    Criterion.objects.filter(program=program_a).update(archived_at=timezone.now())
    submitted_in_french.refresh_from_db()
    assert {lang: _lines(submitted_in_french, lang) for lang in ("fr", "en")} == before


def test_a_snapshot_from_before_reads_as_submitted(submitted_in_french):
    """Submissions frozen before both languages were kept show their one language."""
    for item in submitted_in_french.snapshot["criteria"]:
        del item["evidence_by_language"]
    submitted_in_french.save(update_fields=["snapshot"])
    assert "Aucun outil partagé dans les groupes." in _lines(submitted_in_french, "en")


def test_a_decided_submission_pdf_is_stored_once_per_language_and_served_in_the_readers(
    submitted_in_french, client, coordinator, monkeypatch
):
    """The finished dossier's PDF is rendered once in French and once in English; the English
    assessor gets the English file, the French coordinator the French one."""
    from datetime import timedelta

    from maillage.accreditation import pdf as pdf_module
    from maillage.accreditation.models import Submission

    from .conftest import rate_all

    worded = {}
    original = pdf_module.render_to_string

    def spy(template, context):
        html = original(template, context)
        worded[translation.get_language()] = html
        return html

    monkeypatch.setattr(pdf_module, "render_to_string", spy)
    assessor_user = submitted_in_french.assessor.person.user
    rate_all(submitted_in_french, assessor_user)
    services.decide(
        submission=submitted_in_french,
        accredited=True,
        level="initial",
        expires_on=timezone.localdate() + timedelta(days=300),
        comment="",
        by=assessor_user,
    )
    dossier = submitted_in_french.dossier
    url = (
        f"/programmes/{dossier.program_id}/accreditation/{dossier.pk}"
        f"/soumissions/{submitted_in_french.pk}/pdf/"
    )
    client.force_login(coordinator.user)
    client.cookies["django_language"] = "fr"
    french = client.get(url)
    submitted_in_french.refresh_from_db()
    if submitted_in_french.pdf_state == Submission.PdfState.UNAVAILABLE:
        pytest.skip("WeasyPrint's system libraries are missing here")
    assert submitted_in_french.pdf_state == Submission.PdfState.READY
    assert submitted_in_french.pdf.name.endswith(".pdf")
    assert submitted_in_french.pdf_en.name.endswith("-en.pdf")
    assert "Aucun outil partagé dans les groupes." in worded["fr"]
    assert "No tools shared in groups." in worded["en"]
    assert "Aucun outil partagé dans les groupes." not in worded["en"]
    assert f'filename="{submitted_in_french.pdf_filename("fr")}"' in french["Content-Disposition"]

    worded.clear()
    client.force_login(assessor_user)
    client.cookies["django_language"] = "en"
    english = client.get(reverse("accreditation:review_pdf", args=[submitted_in_french.pk]))
    assert english["Content-Type"] == "application/pdf"
    assert f'filename="{submitted_in_french.pdf_filename("en")}"' in english["Content-Disposition"]
    assert worded == {}  # served from the storage, not rendered again
