"""Recruiting pages of program A: only A's coordination sees them; the public form by token."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.intake.models import PotentialMentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(program_a, interest_form, coordinator):
    from maillage.conftest import make_person

    person = make_person("Paul", "Potentiel", user=False)
    mentor = PotentialMentor.objects.create(program=program_a, person=person)
    question = interest_form.questions.first()
    return program_a, interest_form, question, mentor


def staff_urls(program, form, question, mentor) -> list[tuple[str, str]]:
    p, f, q, m = program.pk, form.pk, question.pk, mentor.pk
    return [
        ("get", reverse("intake:forms", args=[p])),
        ("post", reverse("intake:form_create", args=[p])),
        ("get", reverse("intake:form_edit", args=[p, f])),
        ("post", reverse("intake:form_edit", args=[p, f])),
        ("post", reverse("intake:form_toggle", args=[p, f])),
        ("get", reverse("intake:form_preview", args=[p, f])),
        ("get", reverse("intake:question_add", args=[p, f])),
        ("post", reverse("intake:question_add", args=[p, f])),
        ("get", reverse("intake:question_edit", args=[p, f, q])),
        ("post", reverse("intake:question_edit", args=[p, f, q])),
        ("post", reverse("intake:question_move", args=[p, f, q])),
        ("post", reverse("intake:question_delete", args=[p, f, q])),
        ("get", reverse("intake:potential_mentors", args=[p])),
        ("get", reverse("intake:potential_mentor_add", args=[p])),
        ("post", reverse("intake:potential_mentor_add", args=[p])),
        ("get", reverse("intake:potential_mentor", args=[p, m])),
        ("post", reverse("intake:potential_mentor", args=[p, m])),
        ("post", reverse("intake:potential_mentor_contact", args=[p, m])),
        ("post", reverse("intake:potential_mentor_status", args=[p, m])),
    ]


def assert_all_404(client, urls):
    # Both methods on every URL: a POST-only view must not answer 405 before checking access.
    for _method, url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"status": "accepted", "direction": "up"})
            assert response.status_code == 404, (method, url, response.status_code)


def test_outsider_gets_404_on_every_intake_page_of_program_a(as_outsider, objects):
    program, form, question, mentor = objects
    assert_all_404(as_outsider, staff_urls(*objects))
    # Nothing changed behind the 404s.
    form.refresh_from_db()
    mentor.refresh_from_db()
    assert form.is_open and mentor.status == PotentialMentor.Status.IDENTIFIED
    assert program.forms.count() == 1


@pytest.mark.parametrize("persona", ["mentor", "mentee", "committee_member"])
def test_other_roles_of_program_a_get_404_on_the_builder_and_mentors(
    client, objects, persona, request
):
    login(client, request.getfixturevalue(persona))
    assert_all_404(client, staff_urls(*objects))


def test_outsider_cannot_reach_a_form_of_a_through_their_own_program(
    as_outsider, outsider, objects
):
    """Objects are looked up inside the program: B's pk with A's form pk is a 404."""
    program, form, question, mentor = objects
    program_b = outsider.roles.get().program
    b = program_b.pk
    program_level = {
        reverse(name, args=[b])
        for name in (
            "intake:forms",
            "intake:form_create",
            "intake:potential_mentors",
            "intake:potential_mentor_add",
        )
    }
    # Every URL that names an object of A under B's pk (B's own list pages are B's business).
    crossed = [
        (method, url)
        for method, url in staff_urls(program_b, form, question, mentor)
        if url not in program_level
    ]
    assert len(crossed) == 14
    assert_all_404(as_outsider, crossed)


def test_anonymous_is_sent_to_sign_in(client, objects):
    response = client.get(reverse("intake:forms", args=[objects[0].pk]))
    assert response.status_code == 302
    assert "/comptes/" in response["Location"]


def test_the_coordinator_reaches_every_page(as_coordinator, objects):
    for method, url in staff_urls(*objects):
        if method == "get":
            assert as_coordinator.get(url).status_code == 200, url


def test_post_only_pages_answer_405_to_a_get_from_the_coordinator(as_coordinator, objects):
    pages = {url for method, url in staff_urls(*objects) if method == "get"}
    post_only = [url for method, url in staff_urls(*objects) if url not in pages]
    assert len(post_only) == 6
    for url in post_only:
        assert as_coordinator.get(url).status_code == 405, url


def test_the_public_form_is_public_but_only_by_token(client, objects):
    form = objects[1]
    assert client.get(reverse("intake:public_form", args=[form.token])).status_code == 200
    assert client.get(reverse("intake:public_form", args=[form.token + "x"])).status_code == 404
