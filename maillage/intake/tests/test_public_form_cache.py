"""The public form's pages are rendered once per form, language and revision, then served from
memory with each visitor's own tokens (issue 14, `intake.rendering`); the answer's POST stays
within its queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.core.once import FIELD
from maillage.core.tests.forms_once import form_token
from maillage.intake import services
from maillage.intake.models import Application
from maillage.intake.rendering import CSRF_MARK, ONCE_MARK
from maillage.programs.models import Program

from .conftest import thanked, valid_answer
from .test_public_form_cost import database_queue  # noqa: F401  (a fixture)
from .test_public_form_rate_limits import DATABASE_CACHE

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def url(form, lang: str = "") -> str:
    path = reverse("intake:public_form", args=[form.token])
    return f"{path}?lang={lang}" if lang else path


def page(client, form, lang: str = "") -> str:
    response = client.get(url(form, lang))
    assert response.status_code == 200
    return response.content.decode()


def test_the_second_showing_is_served_without_rendering_again(client, interest_form):
    page(client, interest_form)
    with CaptureQueriesContext(connection) as queries:
        html = page(client, interest_form)
    # The form's row alone (it gives the key): no question, no region list.
    assert len(queries) == 1
    assert "Frigo" not in html  # nothing typed: an unbound form
    assert 'name="q_organization"' in html


def test_a_question_edited_shows_at_once(client, interest_form):
    page(client, interest_form)
    question = interest_form.questions.get(key="concept")
    services.update_question(question=question, label_fr="Votre idée, en deux phrases")
    assert "Votre idée, en deux phrases" in page(client, interest_form)


def test_a_question_added_or_moved_shows_at_once(client, interest_form):
    before = page(client, interest_form)
    services.add_question(form=interest_form, kind="short_text", label_fr="Votre site web")
    assert "Votre site web" in page(client, interest_form)
    first, second = interest_form.questions.order_by("order", "id")[:2]
    services.move_question(question=second, direction="up", by=None)
    after = page(client, interest_form)
    assert after.index(f'name="q_{second.key}"') < after.index(f'name="q_{first.key}"')
    assert before.index(f'name="q_{first.key}"') < before.index(f'name="q_{second.key}"')


def test_the_form_texts_edited_show_at_once(client, interest_form):
    page(client, interest_form)
    services.update_form_texts(form=interest_form, title_fr="Appel de candidatures 2027")
    assert "Appel de candidatures 2027" in page(client, interest_form)


def test_each_language_has_its_own_page(client, interest_form):
    french = page(client, interest_form, "fr")
    english = page(client, interest_form, "en")
    again = page(client, interest_form, "fr")
    assert '<html lang="fr">' in french and '<html lang="fr">' in again
    assert '<html lang="en">' in english
    assert "Read this form in English" in french and "Read this form in English" not in english


def test_each_visitor_gets_their_own_tokens_and_no_mark(interest_form):
    one, two = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first, second = page(one, interest_form), page(two, interest_form)
    for html in (first, second):
        assert CSRF_MARK not in html and ONCE_MARK not in html
    assert form_token(first) != form_token(second)
    # Every CSRF field of a page carries the same visitor's token (the form, the language switch).
    assert len(set(CSRF.findall(second))) == 1
    # Each visitor's token is accepted with their own cookie, and refused with the other's.
    data = {**valid_answer(), FIELD: form_token(second)}
    crossed = one.post(url(interest_form), {**data, "csrfmiddlewaretoken": CSRF.findall(second)[0]})
    assert crossed.status_code == 403
    sent = two.post(url(interest_form), {**data, "csrfmiddlewaretoken": CSRF.findall(second)[0]})
    assert thanked(sent)
    assert Application.objects.count() == 1


def test_a_signed_in_visitor_sees_their_own_header(client, interest_form, coordinator):
    page(client, interest_form)  # stored for anonymous visitors
    client.force_login(coordinator.user)
    assert "Se déconnecter" in page(client, interest_form)


def test_a_form_shown_again_with_errors_keeps_what_was_typed(client, interest_form):
    page(client, interest_form)
    response = client.post(url(interest_form), valid_answer(q_email="pas-un-courriel"))
    assert response.status_code == 200
    assert "Frigo Solidaire de Lévis (fictif)" in response.content.decode()
    assert "Frigo Solidaire" not in page(client, interest_form)


def test_the_thanks_page_follows_the_programs_title(client, interest_form):
    thanks = reverse("intake:public_thanks", args=[interest_form.token])
    client.get(thanks)
    program = interest_form.program
    program.title = "Maillage alimentaire 2027"
    program.save()
    assert "Maillage alimentaire 2027" in client.get(thanks).content.decode()


def test_the_post_makes_eight_queries(client, interest_form, database_queue, settings):  # noqa: F811
    settings.CACHES = DATABASE_CACHE  # production's: the limits counted in the database
    # The first answer also moves the program to « recruiting »: the next ones are measured.
    client.post(url(interest_form), valid_answer(q_email="premiere@autre.example"))
    token = form_token(page(client, interest_form))
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url(interest_form), {**valid_answer(), FIELD: token})
    assert thanked(response), response.content.decode()[:2000]
    sql = [
        q["sql"]
        for q in queries.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT"))
    ]
    tables = [re.search(r'(?:FROM|INTO|UPDATE) "(\w+)"', s).group(1) for s in sql]
    assert tables == [
        "core_formsubmission",  # the once-token claimed, committed on its own
        "intake_interestform",  # the form and its program
        # (its questions and fields: built by the showing, kept per form revision)
        "intake_application",  # the earlier application of the same organization, if any
        "intake_application",  # the answer
        "core_auditentry",
        "django_tasks_database_dbtaskresult",  # its confirmation, in the same transaction
        "core_ratecount",  # both limits in one upsert, last: its row locked until the commit
        "core_formsubmission",  # the once-token's result, for a repeat
    ], "\n".join(s[:90] for s in sql)


def test_an_answer_is_checked_against_a_question_added_at_once(client, interest_form):
    # The form's fields are kept per revision: the answer after the edit meets the new question.
    assert thanked(client.post(url(interest_form), valid_answer(q_email="a@autre.example")))
    services.add_question(
        form=interest_form, kind="short_text", label_fr="Votre site web", required=True
    )
    response = client.post(url(interest_form), valid_answer(q_email="b@autre.example"))
    assert response.status_code == 200
    assert "Votre site web" in response.content.decode()
    assert Application.objects.count() == 1


def test_a_form_closed_refuses_the_next_answer_at_once(client, interest_form):
    assert thanked(client.post(url(interest_form), valid_answer(q_email="a@autre.example")))
    services.set_form_open(form=interest_form, is_open=False)
    assert (
        client.post(url(interest_form), valid_answer(q_email="b@autre.example")).status_code == 410
    )
    assert Application.objects.count() == 1


def test_a_program_closed_refuses_the_next_answer_at_once(client, interest_form):
    # The form is kept with its program under both rows' updated_at.
    assert thanked(client.post(url(interest_form), valid_answer(q_email="a@autre.example")))
    program = interest_form.program
    program.status = Program.Status.CLOSED
    program.save()
    assert (
        client.post(url(interest_form), valid_answer(q_email="b@autre.example")).status_code == 410
    )
    assert Application.objects.count() == 1


def test_each_request_gets_its_own_copy_of_the_stored_form(interest_form):
    """The form and its program are kept per process and copied per request (`_clone`, issue
    14): what one request changes on its copy never reaches the next one."""
    from maillage.intake.rendering import forget_pages, public_form

    forget_pages()
    first = public_form(interest_form.token)
    first.title_fr = "changé"
    first.program.title = "changé aussi"
    second = public_form(interest_form.token)
    assert second.title_fr == interest_form.title_fr
    assert second.program.title == interest_form.program.title
    assert second.program is not first.program and second is not first
    assert second._state is not first._state and second._state.adding is False
    assert second._state.fields_cache is not first._state.fields_cache
