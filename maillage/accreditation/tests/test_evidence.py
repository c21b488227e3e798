"""Evidence comes from the program's own data, one small function per kind, in a registry."""

from __future__ import annotations

import pytest

from maillage.accreditation import evidence as ev
from maillage.accreditation import selectors
from maillage.accreditation.frameworks import FRAMEWORKS
from maillage.selection.models import Criterion

pytestmark = pytest.mark.django_db


def test_every_criterion_names_evidence_the_registry_knows():
    for framework in FRAMEWORKS:
        for part in framework.parts:
            for criterion in part.criteria:
                assert criterion.evidence, criterion.code
                assert set(criterion.evidence) <= set(ev.EVIDENCE), criterion.code
                assert criterion.title_en and criterion.text_en and criterion.expects_en


def test_mentorat_quebec_has_design_and_deploiement_and_mentor_has_six_standards():
    parts = {f.code: [p.code for p in f.parts] for f in FRAMEWORKS}
    assert parts["mentorat-quebec"] == ["design", "deploiement"]
    mentor = next(f for f in FRAMEWORKS if f.code == "mentor-eep")
    assert len(mentor.parts[0].criteria) == 6


def test_criteria_and_weights_come_from_the_selection_app(program_a):
    found = ev.gather("selection_criteria", program_a)
    assert found.status == ev.PRESENT
    first = Criterion.objects.filter(program=program_a).active().order_by("order", "pk").first()
    assert any(first.label_fr in line and "poids" in line for line in found.lines)
    assert found.url == f"/programmes/{program_a.pk}/criteres/"


def test_archiving_every_criterion_makes_the_evidence_missing(program_a):
    from django.utils import timezone

    Criterion.objects.filter(program=program_a).update(archived_at=timezone.now())
    assert ev.gather("selection_criteria", program_a).status == ev.MISSING


def test_a_program_without_matching_misses_the_certificate(program_a):
    found = ev.gather("matching_certificate", program_a)
    assert found.status == ev.MISSING
    assert found.lines == ["Aucun jumelage approuvé."]


def test_inclusion_says_not_available_and_training_says_missing(program_a):
    assert ev.gather("inclusion_objectives", program_a).status_label == "Non disponible"
    training = ev.gather("training_completion", program_a)
    assert training.status == ev.MISSING
    assert "TODO" not in " ".join(training.lines)


def test_a_new_kind_is_a_few_lines(program_a):
    @ev.evidence("test_kind", "Une preuve d’essai")
    def test_kind(program):
        return ev.present([f"Programme {program.title}"], url="/ici/")

    try:
        found = ev.gather("test_kind", program_a)
        assert (found.kind, found.label, found.lines) == (
            "test_kind",
            "Une preuve d’essai",
            ["Programme Programme A"],
        )
    finally:
        ev.EVIDENCE.pop("test_kind")


def test_a_document_completes_a_criterion_the_data_cannot_show(dossier, coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from maillage.accreditation import services

    rows = {r.criterion.code: r for r in selectors.live_rows(dossier)}
    assert rows["design-training"].coverage == selectors.MISSING
    before = selectors.gauge(list(rows.values())).percent
    services.add_document(
        dossier=dossier,
        criterion="design-training",
        title="Formations 2026",
        upload=SimpleUploadedFile("formations.pdf", b"%PDF-1.4 test"),
        by=coordinator.user,
    )
    rows = {r.criterion.code: r for r in selectors.live_rows(dossier)}
    assert rows["design-training"].coverage == selectors.COVERED
    assert selectors.gauge(list(rows.values())).percent > before


def test_evaluation_results_under_the_small_cell_threshold_are_hidden(program_a, monkeypatch):
    from maillage.evaluation import selectors as evaluation
    from maillage.evaluation.selectors import Share

    monkeypatch.setattr(
        evaluation,
        "program_indicators",
        lambda program: [Share("satisfaction", "Satisfait·e ou très satisfait·e", 3, 4)],
    )
    found = ev.gather("evaluation_results", program_a)
    assert "résultat masqué" in found.lines[0]
    assert "%" not in found.lines[0]
