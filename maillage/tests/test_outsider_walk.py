"""Walk every URL of the site that names a program: an outsider gets 404, never a leak.

The outsider, Olivier, is a real signed-in coordinator with full rights on his own program B. For
every route under /programmes/<pk>/…, the test fills each parameter with a real object of program
A and asks as Olivier, by GET and by POST. It also asks with B's pk and A's objects, so a view that
scopes by program but looks objects up unscoped is caught. A new route with a parameter this test
does not know fails the test until a sample is added below.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from maillage.programs.models import Program

pytestmark = pytest.mark.django_db

# Text parameters: every value the route accepts.
TEXT_SAMPLES: dict[str, list[str]] = {
    "what": ["people", "applications"],
    "fmt": ["csv", "xlsx"],
    "kind": ["people", "applications"],
    "token": [],  # public links are by token, not by program: tested in intake
}


def _int_samples(program: Program) -> dict[str, Any]:
    """A real object of `program` for each integer parameter a route may take."""
    from maillage.intake.models import (
        Application,
        InterestForm,
        MentorContact,
        PotentialMentor,
        Question,
    )
    from maillage.selection.models import CommitteeOpinion, Criterion, Decision, Review

    def first(qs):
        obj = qs.first()
        return obj.pk if obj else None

    application = first(Application.objects.filter(program=program))
    return {
        "pk": program.pk,
        "program_pk": program.pk,
        "app_pk": application,
        "application_pk": application,
        "role_pk": first(program.roles.all()),
        "track_pk": first(program.tracks.all()),
        "form_pk": first(InterestForm.objects.filter(program=program)),
        "question_pk": first(Question.objects.filter(form__program=program)),
        "mentor_pk": first(PotentialMentor.objects.filter(program=program)),
        "potential_pk": first(PotentialMentor.objects.filter(program=program)),
        "contact_pk": first(MentorContact.objects.filter(potential_mentor__program=program)),
        "criterion_pk": first(Criterion.objects.filter(program=program)),
        "review_pk": first(Review.objects.filter(application__program=program)),
        "opinion_pk": first(CommitteeOpinion.objects.filter(application__program=program)),
        "decision_pk": first(Decision.objects.filter(application__program=program)),
    }


def _routes(
    resolver: URLResolver | None = None, prefix: str = "", ns: str = ""
) -> Iterator[tuple[str, str]]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if not isinstance(entry.pattern, RoutePattern):
                continue  # admin's and allauth's regex routes hold no program
            sub_ns = entry.namespace or ns
            yield from _routes(entry, prefix + str(entry.pattern), sub_ns)
        elif isinstance(entry, URLPattern) and isinstance(entry.pattern, RoutePattern):
            yield prefix + str(entry.pattern), f"{ns}:{entry.name}" if ns else str(entry.name)


def program_routes() -> list[tuple[str, str]]:
    return [(route, name) for route, name in _routes() if route.startswith("programmes/<int:pk>/")]


def _fill(route: str, ints: dict[str, Any]) -> Iterator[str]:
    import re

    params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
    choices: list[list[tuple[str, str]]] = []
    for converter, name in params:
        if converter == "int":
            assert name in ints, f"add a sample for <int:{name}> in test_outsider_walk.py ({route})"
            value = ints[name]
            if value is None:
                pytest.fail(f"the demo data has no object for <int:{name}> ({route})")
            choices.append([(f"<int:{name}>", str(value))])
        else:
            assert name in TEXT_SAMPLES, f"add samples for <{name}> in test_outsider_walk.py"
            choices.append(
                [(f"<{converter + ':' if converter else ''}{name}>", v) for v in TEXT_SAMPLES[name]]
            )
    combos: list[list[tuple[str, str]]] = [[]]
    for options in choices:
        combos = [c + [o] for c in combos for o in options]
    for combo in combos:
        url = route
        for placeholder, value in combo:
            url = url.replace(placeholder, value, 1)
        yield "/" + url


@pytest.fixture
def demo_program(db) -> Program:
    from maillage.programs.demo import build_demo

    return build_demo()


def test_every_program_page_is_walked():
    names = {name for _route, name in program_routes()}
    # A sanity floor so that a broken walker cannot pass by walking nothing.
    assert {"programs:detail", "programs:edit", "programs:people"} <= names
    assert len(names) >= 10, names


def test_outsider_gets_404_on_every_page_of_another_program(client, outsider, demo_program):
    client.force_login(outsider.user)
    ints = _int_samples(demo_program)
    walked = 0
    for route, name in program_routes():
        for url in _fill(route, ints):
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code == 404, (
                    f"{method.upper()} {url} ({name}) gave {response.status_code}"
                )
                walked += 1
    assert walked > 20


def test_outsider_gets_404_with_own_program_and_foreign_objects(client, outsider, demo_program):
    client.force_login(outsider.user)
    ints = _int_samples(demo_program)
    own = Program.objects.get(title="Programme B")
    for route, name in program_routes():
        if route.count("<") < 2:
            continue  # only the program's pk: nothing foreign to mix in
        for url in _fill(route, ints):
            crossed = url.replace(f"/programmes/{demo_program.pk}/", f"/programmes/{own.pk}/", 1)
            response = client.get(crossed)
            assert response.status_code == 404, (
                f"GET {crossed} ({name}) gave {response.status_code}"
            )


def test_anonymous_visitor_is_sent_to_sign_in_on_every_program_page(client, demo_program):
    ints = _int_samples(demo_program)
    for route, _name in program_routes():
        for url in _fill(route, ints):
            response = client.get(url)
            assert response.status_code in (302, 404), url
            if response.status_code == 302:
                assert "/comptes/login/" in response["Location"]
