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
    "starter": ["role-du-mentor"],  # training's starter modules
}


def _int_samples(program: Program) -> dict[str, dict[str, Any]]:
    """A real object of `program` for each integer parameter, by URL namespace (two apps may
    give one parameter name to different things: `question_pk`)."""
    from datetime import date, timedelta

    from maillage.accreditation.tests.samples import walk_samples as accreditation_samples
    from maillage.evaluation import services as evaluation
    from maillage.evaluation.models import FinalInterview, Quote, Round
    from maillage.intake.models import Application, InterestForm, PotentialMentor, Question
    from maillage.matching.models import MatchRequest, ProfileCard
    from maillage.measurement.tests.samples import walk_samples as measurement_samples
    from maillage.mentoring.tests.samples import walk_samples
    from maillage.selection.models import Criterion
    from maillage.tools.models import Tool
    from maillage.training.tests.samples import walk_samples as training_samples

    def first(qs):
        obj = qs.first()
        return obj.pk if obj else None

    mentoring = walk_samples(program)  # forms a group with a meeting, a plan, an update
    group_pk = mentoring["group_pk"]
    tool = Tool.objects.create(
        group_id=group_pk,
        shared_by=program.roles.filter(kind="mentor").first().person,
        title="Guide de tri",
        url="https://exemple.org/guide",
    )
    questionnaire = evaluation.create_questionnaire_from_template(program=program, kind="monthly")
    today = date.today()
    round_ = Round.objects.create(
        program=program,
        questionnaire=questionnaire,
        send_on=today,
        closes_on=today + timedelta(days=14),
    )
    evaluation.invite_round(round=round_)
    participant = program.roles.filter(kind="mentee").first()
    interviewer = program.roles.filter(kind="observer").first().person
    interview = FinalInterview.objects.create(
        program=program,
        participant=participant,
        interviewer=interviewer,
        held_on=today,
        learning="Apprentissages",
    )
    quote = Quote.objects.create(
        program=program,
        speaker=participant,
        passage="Ces rencontres sont de l’or !",
        topic_fr="les rencontres",
    )
    common = {"pk": program.pk}
    return {
        "programs": {
            **common,
            "role_pk": first(program.roles.all()),
            "person_pk": participant.person_id,
            "org_pk": participant.person.organization_id or program.coordinating_organization_id,
            "team_pk": _team_of(program),
        },
        "intake": {
            **common,
            "form_pk": first(InterestForm.objects.filter(program=program)),
            "question_pk": first(Question.objects.filter(form__program=program)),
            "mentor_pk": first(PotentialMentor.objects.filter(program=program)),
        },
        "selection": {
            **common,
            "app_pk": first(Application.objects.filter(program=program)),
            "criterion_pk": first(Criterion.objects.filter(program=program)),
        },
        "mentoring": {**common, **mentoring},
        "alerts": {**common, "group_pk": group_pk},
        "tools": {**common, "group_pk": group_pk, "tool_pk": tool.pk},
        "evaluation": {
            **common,
            "q_pk": questionnaire.pk,
            "question_pk": first(questionnaire.questions.all()),
            "round_pk": round_.pk,
            "inv_pk": first(round_.invitations.all()),
            "iv_pk": interview.pk,
            "quote_pk": quote.pk,
        },
        "matching": {
            **common,
            "event_pk": first(program.speed_dating_events.all()),
            "card_pk": first(ProfileCard.objects.filter(program=program)),
            "req_pk": first(MatchRequest.objects.filter(program=program)),
            "run_pk": first(program.match_runs.all()) or _queued_run(program),
        },
        "portability": {**common, "job_pk": _import_job(program)},
        "inclusion": {**common, "group_pk": _inclusion_group(program)},
        "reports": common,
        "measurement": {**common, **measurement_samples(program)},
        "accreditation": {**common, **accreditation_samples(program)},
        "training": {**common, **training_samples(program)},
    }


def _inclusion_group(program: Program) -> int:
    """A group the program tracks for inclusion (added if the sample program tracks none)."""
    from maillage.inclusion.models import InclusionGroup

    group = program.inclusion_groups.first() or InclusionGroup.objects.create(
        program=program, key="women", label_fr="Femmes", label_en="Women"
    )
    return group.pk


def _queued_run(program: Program) -> int:
    """A matching run waiting for the worker (its progress page): the demo has none."""
    from maillage.matching.services import run_matching

    return run_matching(program=program, by=None, background=True).pk


def _import_job(program: Program) -> int:
    """An import of `program` waiting for its confirmation (its pages: preview, progress,
    confirm, cancel)."""
    from maillage.portability.models import ImportJob

    job = ImportJob.objects.create(
        program=program, kind="people", filename="personnes.csv", status="previewed"
    )
    return job.pk


def _team_of(program: Program) -> int:
    """A team of `program` (a mentor team of two, made if the sample program has none)."""
    from maillage.core.models import Team

    team = Team.objects.filter(role__program=program).first()
    if team is None:
        team = Team.objects.create(name="Équipe de l’échantillon")
        program.roles.filter(kind="mentor").update(team=team)
    return team.pk


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


def _fill(route: str, name: str, samples: dict[str, dict[str, Any]]) -> Iterator[str]:
    import re

    namespace = name.split(":")[0]
    assert namespace in samples, f"add samples for the {namespace} app in test_outsider_walk.py"
    ints = samples[namespace]

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
    from maillage.demo.editions import build_demo

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
        for url in _fill(route, name, ints):
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
        if route.count("<int:") < 2:
            continue  # no object of A in the address besides the program: nothing to mix in
        for url in _fill(route, name, ints):
            crossed = url.replace(f"/programmes/{demo_program.pk}/", f"/programmes/{own.pk}/", 1)
            response = client.get(crossed)
            assert response.status_code == 404, (
                f"GET {crossed} ({name}) gave {response.status_code}"
            )


def test_anonymous_visitor_is_sent_to_sign_in_on_every_program_page(client, demo_program):
    ints = _int_samples(demo_program)
    for route, name in program_routes():
        for url in _fill(route, name, ints):
            response = client.get(url)
            assert response.status_code in (302, 404), url
            if response.status_code == 302:
                assert "/comptes/login/" in response["Location"]
