from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from maillage.selection.defaults import PILOT_CRITERIA
from maillage.selection.models import Criterion
from maillage.selection.services import create_default_criteria

from .conftest import score_all


def url(program):
    return reverse("selection:criteria", args=[program.pk])


def formset_data(criteria, changes=None):
    data = {
        "criteres-TOTAL_FORMS": str(len(criteria)),
        "criteres-INITIAL_FORMS": str(len(criteria)),
    }
    for i, c in enumerate(criteria):
        values = {
            "id": c.pk,
            "label_fr": c.label_fr,
            "label_en": c.label_en,
            "description_fr": c.description_fr,
            "description_en": c.description_en,
            "weight": c.weight,
            "order": c.order,
        }
        values.update((changes or {}).get(i, {}))
        data.update({f"criteres-{i}-{k}": v for k, v in values.items()})
    return data


def test_a_new_program_has_the_seven_pilot_criteria_weighted_1(program_a):
    criteria = list(program_a.criteria.all())
    assert [c.label_fr for c in criteria] == [fr for fr, _en in PILOT_CRITERIA]
    assert {c.weight for c in criteria} == {Decimal("1")}


def test_default_criteria_are_not_added_twice(program_a):
    create_default_criteria(program=program_a)
    assert program_a.criteria.count() == 7


def test_page_lists_the_criteria(as_coordinator, program_a):
    html = as_coordinator.get(url(program_a)).content.decode()
    assert "À une étape où le mentorat aidera" in html
    assert html.count("<fieldset") == 7


def test_edit_labels_weight_and_order(as_coordinator, program_a):
    criteria = list(program_a.criteria.all())
    data = formset_data(
        criteria, {0: {"label_en": "Universal access", "weight": "2.5", "order": "9"}}
    )
    response = as_coordinator.post(url(program_a), data)
    assert response.status_code == 302
    first = Criterion.objects.get(pk=criteria[0].pk)
    assert (first.label_en, first.weight, first.order) == ("Universal access", Decimal("2.5"), 9)


def test_bad_weight_is_refused_and_other_values_kept(as_coordinator, program_a):
    criteria = list(program_a.criteria.all())
    data = formset_data(criteria, {0: {"weight": "-1", "label_en": "Kept"}})
    response = as_coordinator.post(url(program_a), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Le poids ne peut pas être négatif." in html
    assert 'value="Kept"' in html
    assert Criterion.objects.get(pk=criteria[0].pk).weight == Decimal("1")


def test_add_a_criterion(as_coordinator, program_a):
    response = as_coordinator.post(
        reverse("selection:criterion_add", args=[program_a.pk]),
        {"new-label_fr": "Capacité de décider", "new-weight": "2"},
    )
    assert response.status_code == 302
    added = program_a.criteria.get(label_fr="Capacité de décider")
    assert added.weight == Decimal("2") and added.order == 7


def test_add_without_label_keeps_what_was_typed(as_coordinator, program_a):
    response = as_coordinator.post(
        reverse("selection:criterion_add", args=[program_a.pk]),
        {"new-label_en": "Decision power", "new-weight": "2"},
    )
    html = response.content.decode()
    assert "Donnez le libellé du critère en français." in html
    assert 'value="Decision power"' in html


def test_unscored_criterion_is_deleted(as_coordinator, program_a):
    criterion = program_a.criteria.last()
    as_coordinator.post(reverse("selection:criterion_remove", args=[program_a.pk, criterion.pk]))
    assert not Criterion.objects.filter(pk=criterion.pk).exists()


def test_scored_criterion_is_archived_not_deleted(
    as_coordinator, application, three_criteria, coordinator
):
    program = application.program
    score_all(application, coordinator, [4, 4, 4])
    criterion = three_criteria[2]
    response = as_coordinator.post(
        reverse("selection:criterion_remove", args=[program.pk, criterion.pk]), follow=True
    )
    assert "il est archivé plutôt que supprimé" in response.content.decode()
    criterion.refresh_from_db()
    assert criterion.is_archived and criterion.scores.count() == 1
    assert criterion not in program.criteria.active()

    as_coordinator.post(reverse("selection:criterion_restore", args=[program.pk, criterion.pk]))
    criterion.refresh_from_db()
    assert not criterion.is_archived
