"""Every evaluation page of program A: 404 for Olivier (program B), for A's committee, and for
mentors and mentees on the pages that show others' answers."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.conftest import login
from maillage.evaluation import services


@pytest.fixture
def objects(program_a, coordinator, observer, mentee_invitation, mentee, group):
    factor = mentee_invitation.questions().get(theme="success_factors")
    services.save_answers(
        invitation=mentee_invitation, values={factor: "Un secret bien gardé"}, submit=True
    )
    answer = mentee_invitation.answers.get()
    interview = services.record_interview(
        program=program_a,
        participant=program_a.roles.get(person=mentee, kind="mentee"),
        interviewer=observer,
        held_on=timezone.localdate(),
        learning="Notes confidentielles",
    )
    quote = services.mark_quote(
        program=program_a, by=coordinator.user, answer=answer, passage="Un secret", topic_fr="x"
    )
    questionnaire = mentee_invitation.round.questionnaire
    return {
        "program": program_a,
        "questionnaire": questionnaire,
        "question": questionnaire.questions.first(),
        "round": mentee_invitation.round,
        "invitation": mentee_invitation,
        "answer": answer,
        "interview": interview,
        "quote": quote,
    }


def staff_urls(o) -> list[tuple[str, str]]:
    """(method, url) of every program page that only coordination/observation may open."""
    p, q, r = o["program"].pk, o["questionnaire"].pk, o["round"].pk
    qq, iv, quote = o["question"].pk, o["interview"].pk, o["quote"].pk
    return [
        ("post", reverse("evaluation:questionnaire_template", args=[p])),
        ("get", reverse("evaluation:questionnaire_new", args=[p])),
        ("get", reverse("evaluation:questionnaire", args=[p, q])),
        ("get", reverse("evaluation:questionnaire_preview", args=[p, q])),
        ("get", reverse("evaluation:question_add", args=[p, q])),
        ("get", reverse("evaluation:question_edit", args=[p, q, qq])),
        ("post", reverse("evaluation:question_delete", args=[p, q, qq])),
        ("post", reverse("evaluation:question_move", args=[p, q, qq])),
        ("post", reverse("evaluation:rounds_default", args=[p])),
        ("get", reverse("evaluation:round_add", args=[p])),
        ("get", reverse("evaluation:round", args=[p, r])),
        ("get", reverse("evaluation:round_edit", args=[p, r])),
        ("get", reverse("evaluation:response", args=[p, o["invitation"].pk])),
        ("get", reverse("evaluation:interview_add", args=[p])),
        ("get", reverse("evaluation:interview", args=[p, iv])),
        ("post", reverse("evaluation:interview_send", args=[p, iv])),
        ("get", reverse("evaluation:notes", args=[p])),
        ("get", reverse("evaluation:quotes", args=[p])),
        ("get", reverse("evaluation:quote_add", args=[p]) + f"?answer={o['answer'].pk}"),
        ("post", reverse("evaluation:quote_request", args=[p, quote])),
        ("get", reverse("evaluation:rounds_export", args=[p, "csv"])),
        ("get", reverse("evaluation:interviews_export", args=[p, "xlsx"])),
        ("get", reverse("evaluation:round_export", args=[p, r, "csv"])),
        ("get", reverse("evaluation:quotes_export", args=[p, "xlsx"])),
    ]


def participant_urls(o) -> list[tuple[str, str]]:
    p = o["program"].pk
    return [
        ("get", reverse("evaluation:home", args=[p])),
        ("get", reverse("evaluation:my_answer", args=[p, o["invitation"].pk])),
        ("get", reverse("evaluation:my_interview", args=[p, o["interview"].pk])),
    ]


def fetch(client, method: str, url: str):
    return getattr(client, method)(url)


def test_outsider_gets_404_everywhere(client, outsider, objects):
    login(client, outsider)
    for method, url in staff_urls(objects) + participant_urls(objects):
        assert fetch(client, method, url).status_code == 404, url


def test_committee_member_gets_404_everywhere(client, committee_member, objects):
    login(client, committee_member)
    for method, url in staff_urls(objects) + participant_urls(objects):
        assert fetch(client, method, url).status_code == 404, url


def test_mentor_and_mentee_get_404_on_staff_pages(client, mentor, mentee, objects):
    for person in (mentor, mentee):
        login(client, person)
        for method, url in staff_urls(objects):
            assert fetch(client, method, url).status_code == 404, (person, url)


def test_anonymous_is_sent_to_login(client, objects):
    for method, url in staff_urls(objects)[:3]:
        assert fetch(client, method, url).status_code == 302


def test_mentor_does_not_see_the_mentees_answers_or_interview(client, mentor, objects):
    login(client, mentor)
    home = client.get(reverse("evaluation:home", args=[objects["program"].pk]))
    assert home.status_code == 200
    assert "Un secret bien gardé" not in home.content.decode()
    assert (
        client.get(
            reverse(
                "evaluation:my_interview", args=[objects["program"].pk, objects["interview"].pk]
            )
        ).status_code
        == 404
    )


def test_coordinator_and_observer_read_answers(client, coordinator, observer, objects):
    url = reverse("evaluation:response", args=[objects["program"].pk, objects["invitation"].pk])
    for person in (coordinator, observer):
        login(client, person)
        assert "Un secret bien gardé" in client.get(url).content.decode()


def test_observer_cannot_edit_the_questionnaire(client, observer, objects):
    login(client, observer)
    url = reverse(
        "evaluation:questionnaire", args=[objects["program"].pk, objects["questionnaire"].pk]
    )
    assert client.get(url).status_code == 404


def test_objects_of_a_i_are_404_through_program_b(client, outsider, objects):
    """Olivier's own program id with A's object ids: still 404 (objects scoped to the program)."""
    from maillage.programs.models import Program

    login(client, outsider)
    b = Program.objects.get(title="Programme B").pk
    for name, args in (
        ("evaluation:round", [b, objects["round"].pk]),
        ("evaluation:response", [b, objects["invitation"].pk]),
        ("evaluation:interview", [b, objects["interview"].pk]),
        ("evaluation:questionnaire", [b, objects["questionnaire"].pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert (
        client.get(
            reverse("evaluation:quote_add", args=[b]) + f"?answer={objects['answer'].pk}"
        ).status_code
        == 404
    )
