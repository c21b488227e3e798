from __future__ import annotations

import pytest

from maillage.mentoring import services
from maillage.mentoring.errors import MentoringError
from maillage.mentoring.models import Need, Objective, Step


@pytest.fixture
def plan(group, mentee):
    return services.plan_for(member=group.members.get(role__person=mentee))


def test_the_fit_suggests_and_people_decide(plan, mentee, mentor):
    near = services.add_need(
        plan=plan, by=mentee, text="Transport réfrigéré et entreposage des denrées"
    )
    far = services.add_need(plan=plan, by=mentee, text="Rédiger nos états financiers annuels")
    assert near.fit is not None and far.fit is not None
    assert near.fit > far.fit  # the suggestion follows the mentor's written expertise
    assert near.fit_encoder == "lexical"
    assert services.suggestion(near.fit, near.fit_encoder) == "inside"
    assert services.suggestion(far.fit, far.fit_encoder) == "outside"
    assert near.inside_expertise is None  # a suggestion only: nobody decided yet
    decided = services.decide_need(need=far, by=mentor, inside=True)  # people may disagree
    assert decided.inside_expertise is True and decided.decided_by == mentor
    undone = services.decide_need(need=far, by=mentee, inside=None)
    assert undone.inside_expertise is None and undone.decided_by is None


def test_suggestion_labels_follow_the_thresholds():
    assert services.suggestion(None) == ""
    assert services.suggestion(0.9) == "inside"
    assert services.suggestion(0.41, "semantic") == "unsure"
    assert services.suggestion(0.30, "semantic") == "outside"
    assert services.suggestion(0.45, "lexical") == "inside"
    assert services.suggestion(0.1, "lexical") == "outside"


def test_no_expertise_means_no_suggestion(plan, mentee, mentor):
    mentor.expertise = ""
    mentor.save()
    need = services.add_need(plan=plan, by=mentee, text="Transport réfrigéré")
    assert need.fit is None


def test_needs_are_reordered(plan, mentee):
    a = services.add_need(plan=plan, by=mentee, text="A")
    b = services.add_need(plan=plan, by=mentee, text="B")
    c = services.add_need(plan=plan, by=mentee, text="C")
    services.move_need(need=c, by=mentee, up=True)
    assert list(plan.needs.values_list("text", flat=True)) == ["A", "C", "B"]
    services.move_need(need=a, by=mentee, up=False)
    assert list(plan.needs.values_list("text", flat=True)) == ["C", "A", "B"]
    services.move_need(need=Need.objects.get(pk=c.pk), by=mentee, up=True)  # already first
    assert plan.needs.first().text == "C"
    del b


def test_objectives_and_steps_with_dates_and_status(plan, mentor):
    from datetime import date

    objective = services.add_objective(
        plan=plan, by=mentor, text="Une tournée", due=date(2026, 9, 1)
    )
    step = services.add_step(objective=objective, by=mentor, text="Carte", due=date(2026, 8, 1))
    services.set_step_status(step=step, by=mentor, status=Step.Status.DONE)
    reached = services.set_objective_status(
        objective=objective, by=mentor, status=Objective.Status.REACHED
    )
    assert reached.reached_at is not None
    assert Step.objects.get().status == Step.Status.DONE


def test_another_mentee_of_the_group_reads_but_does_not_edit(plan, second_mentee, other_member):
    with pytest.raises(MentoringError):
        services.add_need(plan=plan, by=second_mentee, text="Pas mon plan")
    with pytest.raises(MentoringError):
        services.add_need(plan=plan, by=other_member, text="Pas mon groupe")


def test_plan_page_hides_edit_buttons_from_the_coordinator(
    client, group, plan, coordinator, mentee
):
    from django.urls import reverse

    from maillage.conftest import login

    services.add_need(plan=plan, by=mentee, text="Transport réfrigéré")
    login(client, coordinator)
    page = client.get(
        reverse("mentoring:plan", args=[group.program_id, group.pk, plan.mentee_id])
    ).content.decode()
    assert "Transport réfrigéré" in page and "Ajouter le besoin" not in page
