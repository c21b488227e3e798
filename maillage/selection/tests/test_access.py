"""Who sees selection pages: coordination and committee of the program, nobody else (404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.programs.models import Program
from maillage.selection.services import decide_application

from .conftest import make_application


@pytest.fixture
def setting(program_a, outsider):
    application = make_application(program_a)
    decide_application(application=application, outcome="declined", reason="Non.", by=None)
    criterion = program_a.criteria.first()
    program_b = Program.objects.get(title="Programme B")
    return program_a, program_b, application, criterion


def pages(program, application, criterion):
    """Every selection URL of `program`, with the method it answers to."""
    p, a, c = program.pk, application.pk, criterion.pk
    return [
        ("get", reverse("selection:criteria", args=[p])),
        ("post", reverse("selection:criteria", args=[p])),
        ("post", reverse("selection:criterion_add", args=[p])),
        ("post", reverse("selection:criterion_remove", args=[p, c])),
        ("post", reverse("selection:criterion_restore", args=[p, c])),
        ("get", reverse("selection:applications", args=[p])),
        ("post", reverse("selection:notify_all", args=[p])),
        ("get", reverse("selection:application", args=[p, a])),
        ("post", reverse("selection:review", args=[p, a])),
        ("post", reverse("selection:opinion", args=[p, a])),
        ("post", reverse("selection:decide", args=[p, a])),
        ("post", reverse("selection:notify", args=[p, a])),
    ]


def statuses(client, urls):
    return {url: getattr(client, method)(url).status_code for method, url in urls}


def every_method(urls):
    """Each URL by GET and by POST: a POST-only page must not answer 405 before checking."""
    return [(method, url) for _m, url in urls for method in ("get", "post")]


@pytest.mark.parametrize("persona", ["mentor", "mentee"])
def test_mentor_and_mentee_get_404_everywhere(client, request, persona, setting):
    program_a, _b, application, criterion = setting
    login(client, request.getfixturevalue(persona))
    result = statuses(client, every_method(pages(program_a, application, criterion)))
    assert set(result.values()) == {404}, result


def test_outsider_gets_404_everywhere(as_outsider, setting):
    program_a, _b, application, criterion = setting
    result = statuses(as_outsider, every_method(pages(program_a, application, criterion)))
    assert set(result.values()) == {404}, result


def test_outsider_gets_404_for_objects_of_a_under_their_own_program(as_outsider, setting):
    # Olivier coordinates B: A's application and criterion under B's address are still 404.
    _a, program_b, application, criterion = setting
    b, a, c = program_b.pk, application.pk, criterion.pk
    urls = [
        ("post", reverse("selection:criterion_remove", args=[b, c])),
        ("post", reverse("selection:criterion_restore", args=[b, c])),
        ("get", reverse("selection:application", args=[b, a])),
        ("post", reverse("selection:review", args=[b, a])),
        ("post", reverse("selection:opinion", args=[b, a])),
        ("post", reverse("selection:decide", args=[b, a])),
        ("post", reverse("selection:notify", args=[b, a])),
    ]
    result = statuses(as_outsider, every_method(urls))
    assert set(result.values()) == {404}, result


def test_anonymous_is_sent_to_sign_in(client, setting):
    program_a, _b, application, _c = setting
    response = client.get(reverse("selection:application", args=[program_a.pk, application.pk]))
    assert response.status_code == 302
    assert "/comptes/" in response["Location"]


def test_committee_member_reviews_but_does_not_manage(client, committee_member, setting):
    # Staff-only actions answer 404 to the committee, like every page a role may not use.
    program_a, _b, application, criterion = setting
    login(client, committee_member)
    p, a, c = program_a.pk, application.pk, criterion.pk
    assert client.get(reverse("selection:applications", args=[p])).status_code == 200
    assert client.get(reverse("selection:application", args=[p, a])).status_code == 200
    staff_only = [
        ("get", reverse("selection:criteria", args=[p])),
        ("post", reverse("selection:criterion_remove", args=[p, c])),
        ("post", reverse("selection:decide", args=[p, a])),
        ("post", reverse("selection:notify", args=[p, a])),
        ("post", reverse("selection:notify_all", args=[p])),
    ]
    assert set(statuses(client, staff_only).values()) == {404}
