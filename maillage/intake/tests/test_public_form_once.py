"""A double submit of the public interest form makes one application (issue 12, finding 5)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from maillage.core.models import FormSubmission
from maillage.core.once import FIELD
from maillage.core.tests.at_once import at_once
from maillage.core.tests.forms_once import form_token
from maillage.intake.models import Application

from .conftest import thanked, thanks_address, valid_answer


def url(form) -> str:
    return reverse("intake:public_form", args=[form.token])


@pytest.mark.django_db
def test_two_submits_of_one_rendered_form_make_one_application(client, interest_form, answer):
    token = form_token(client.get(url(interest_form)).content.decode())
    first = client.post(url(interest_form), {**answer, FIELD: token})
    again = client.post(url(interest_form), {**answer, FIELD: token})
    # The first is answered with the thanks page, the repeat sent to that page's address.
    assert thanked(first) and again.status_code == 302
    assert again["Location"] == thanks_address(first)
    assert Application.objects.count() == 1


@pytest.mark.django_db
def test_the_repeat_says_nothing_was_doubled(client, interest_form, answer):
    token = form_token(client.get(url(interest_form)).content.decode())
    client.post(url(interest_form), {**answer, FIELD: token})
    page = client.post(url(interest_form), {**answer, FIELD: token}, follow=True)
    assert "rien n’a été fait en double" in page.content.decode()


@pytest.mark.django_db
def test_a_form_shown_again_with_errors_can_be_sent_corrected(client, interest_form):
    token = form_token(client.get(url(interest_form)).content.decode())
    wrong = client.post(
        url(interest_form), {**valid_answer(q_email="pas-un-courriel"), FIELD: token}
    )
    assert wrong.status_code == 200
    fixed = client.post(url(interest_form), {**valid_answer(), FIELD: token})
    assert thanked(fixed)
    assert Application.objects.count() == 1


@pytest.mark.django_db
def test_each_rendering_has_its_own_token(client, interest_form, answer):
    one = form_token(client.get(url(interest_form)).content.decode())
    two = form_token(client.get(url(interest_form)).content.decode())
    assert one != two
    client.post(url(interest_form), {**answer, FIELD: one})
    client.post(url(interest_form), {**valid_answer(q_email="autre@exemple.org"), FIELD: two})
    assert Application.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_racing_submits_make_one_application(program_a, answer):
    interest_form = program_a.forms.get()
    token = form_token(Client().get(url(interest_form)).content.decode())
    send = lambda: Client().post(url(interest_form), {**answer, FIELD: token})  # noqa: E731
    answers = at_once(send, send)
    # One ran the view (the thanks page), the other waited for it and was sent to its address.
    taken = [a for a in answers if thanked(a)]
    sent_on = [a for a in answers if a.status_code == 302]
    assert len(taken) == len(sent_on) == 1
    assert sent_on[0]["Location"] == thanks_address(taken[0])
    assert Application.objects.count() == 1
    assert FormSubmission.objects.get(token=token).result == thanks_address(taken[0])
