"""Two decisions on one application at once: one is recorded, the other is refused with a clear
message, never a 500 nor a « non retenue » that keeps its mentee role (issue 12, finding 5).

Run on SQLite and PostgreSQL: the row lock and the revision make the second decision see the
first on both."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from maillage.conftest import login
from maillage.core.tests.at_once import at_once
from maillage.intake.models import Application
from maillage.programs.models import Role
from maillage.selection.errors import DecisionChanged
from maillage.selection.models import Decision
from maillage.selection.services import decide_application

REFUSED = "Cette candidature a déjà été décidée"


def page_url(application):
    return reverse("selection:application", args=[application.program_id, application.pk])


def decide_url(application):
    return reverse("selection:decide", args=[application.program_id, application.pk])


def tab(coordinator, application) -> tuple[Client, str]:
    """A signed-in browser tab on the application, and the revision its decision form shows."""
    browser = login(Client(), coordinator)
    html = browser.get(page_url(application)).content.decode()
    seen = re.search(r'name="decision-seen_revision" value="(\d+)"', html)
    assert seen, "the decision form carries the revision it was shown with"
    return browser, seen.group(1)


def decide(browser: Client, application, seen: str, outcome: str):
    return lambda: browser.post(
        decide_url(application),
        {
            "decision-outcome": outcome,
            "decision-reason": f"Motifs : {outcome}.",
            "decision-seen_revision": seen,
        },
    )


def assert_one_recorded_one_refused(answers) -> None:
    assert sorted(a.status_code for a in answers) == [200, 302], answers
    refused = next(a for a in answers if a.status_code == 200)
    assert REFUSED in refused.content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_selected_and_declined_at_once_leave_one_consistent_decision(
    coordinator, application, attempt
):
    one, seen_one = tab(coordinator, application)
    two, seen_two = tab(coordinator, application)
    answers = at_once(
        decide(one, application, seen_one, "selected"),
        decide(two, application, seen_two, "declined"),
    )
    assert_one_recorded_one_refused(answers)
    decision = Decision.objects.get(application=application)
    application.refresh_from_db()
    assert application.status == decision.outcome
    mentees = Role.objects.filter(program=application.program, kind=Role.Kind.MENTEE)
    if decision.outcome == "declined":
        assert not mentees.exists(), "a declined application keeps no mentee role"
    else:
        assert mentees.filter(person=application.person).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_the_same_decision_twice_at_once_is_recorded_once(coordinator, application, attempt):
    one, seen_one = tab(coordinator, application)
    two, seen_two = tab(coordinator, application)
    answers = at_once(
        decide(one, application, seen_one, "selected"),
        decide(two, application, seen_two, "selected"),
    )
    assert_one_recorded_one_refused(answers)
    assert Decision.objects.filter(application=application).count() == 1
    assert Role.objects.filter(program=application.program, kind=Role.Kind.MENTEE).count() == 1


@pytest.mark.django_db
def test_a_stale_form_is_refused_then_shows_the_saved_decision(as_coordinator, application):
    seen = str(application.revision)
    decide_application(application=application, outcome="selected", reason="Oui.", by=None)
    late = as_coordinator.post(
        decide_url(application),
        {"decision-outcome": "declined", "decision-reason": "Non.", "decision-seen_revision": seen},
    )
    html = late.content.decode()
    assert late.status_code == 200
    assert REFUSED in html
    assert "Non." in html, "what was typed is kept"
    assert Application.objects.get(pk=application.pk).status == "selected"
    # Sent again after reading, the form carries the saved revision: a deliberate change.
    fresh = re.search(r'name="decision-seen_revision" value="(\d+)"', html).group(1)
    again = as_coordinator.post(
        decide_url(application),
        {
            "decision-outcome": "declined",
            "decision-reason": "Non.",
            "decision-seen_revision": fresh,
        },
    )
    assert again.status_code == 302
    assert Application.objects.get(pk=application.pk).status == "declined"


@pytest.mark.django_db
def test_the_service_refuses_a_revision_it_does_not_hold(application):
    decide_application(application=application, outcome="waitlisted", reason="Plus tard.", by=None)
    with pytest.raises(DecisionChanged):
        decide_application(
            application=application, outcome="declined", reason="Non.", by=None, seen_revision=0
        )
