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


def test_inclusion_and_training_are_missing_until_the_program_has_them(program_a):
    assert ev.gather("inclusion_objectives", program_a).status == ev.MISSING
    assert ev.gather("training_completion", program_a).status == ev.MISSING


def test_inclusion_objectives_come_from_the_inclusion_app(program_a, coordinator):
    from maillage.inclusion import services as inclusion

    group = inclusion.add_group(program=program_a, by=coordinator.user, key="women")
    found = ev.gather("inclusion_objectives", program_a)
    assert found.status == ev.MISSING  # tracked, but no objective set yet
    assert found.lines[0] == f"1 groupe suivi : {group}."
    inclusion.update_group(
        group=group,
        by=coordinator.user,
        seen=group.revision,
        label_fr=group.label_fr,
        target_matched=40,
    )
    found = ev.gather("inclusion_objectives", program_a)
    assert found.status == ev.PRESENT
    assert "1 groupe a des objectifs chiffrés." in found.lines
    # Four people cannot be counted (small cells): no objective is said reached or not.
    assert not any("atteints" in line for line in found.lines)


def test_training_completion_comes_from_the_training_app(program_a, coordinator, mentee):
    from maillage.training import services as training
    from maillage.training.tests.conftest import right_answers

    module = training.copy_starter(program=program_a, key="biais-inconscients", by=coordinator.user)
    training.assign_module(module=module, by=coordinator.user, kind="mentee", people=[mentee])
    found = ev.gather("training_completion", program_a)
    assert found.status == ev.MISSING
    assert any(
        line.endswith("terminée sur 1 (0 %).") or line.endswith("terminées sur 1 (0 %).")
        for line in found.lines
    )
    training.submit_quiz(module=module, person=mentee, answers=right_answers(module))
    training.complete_module(module=module, person=mentee)
    found = ev.gather("training_completion", program_a)
    assert found.status == ev.PRESENT
    assert "Personnes mentorées : 1 formation terminée sur 1 (100 %)." in found.lines


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
