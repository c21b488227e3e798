"""Matching's answers to « Mes programmes » (maillage.programs.signals): the self-matching
request to answer, the state of one's own request, the groups to approve."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.inclusion.models import Purpose
from maillage.inclusion.signals import declarations_withdrawn
from maillage.programs.models import Program, Role
from maillage.programs.signals import consent_withdrawn, dashboard_todo

from .instance import side_key
from .models import MatchRequest, SelfMatching
from .signals import grouped_role_ids

# The roles self-matching speaks to on « Mes programmes ».
SERVED = (Role.Kind.MENTEE, Role.Kind.MENTOR, Role.Kind.COORDINATOR)


def _mentee_items(
    program: Program, role: Role, running: bool, requests: list[MatchRequest], grouped: set[int]
) -> list[dict[str, str]]:
    """`requests`: the mentee side's requests in the program, newest first."""
    live = next((r for r in requests if r.status in MatchRequest.LIVE), None)
    mine = reverse("matching:my_requests", args=[program.pk])
    if live is not None:
        if live.status == MatchRequest.Status.ACCEPTED:
            label = _("%(name)s a accepté votre demande : la coordination va approuver le groupe")
        else:
            label = _("Votre demande à %(name)s attend sa réponse")
        return [{"label": label % {"name": live.mentor_label}, "url": mine}]
    if not running or role.pk in grouped:
        return []
    last = requests[0] if requests else None
    profiles = reverse("matching:profiles", args=[program.pk])
    if last is not None and last.status == MatchRequest.Status.DECLINED:
        label = _("%(name)s a décliné votre demande : choisir un autre côté mentor") % {
            "name": last.mentor_label
        }
        return [{"label": label, "url": profiles}]
    return [{"label": _("Choisir votre côté mentor : parcourir les profils"), "url": profiles}]


def _mentor_items(program: Program, pending: int) -> list[dict[str, str]]:
    if not pending:
        return []
    label = ngettext(
        "Répondre à %(n)d demande de jumelage", "Répondre à %(n)d demandes de jumelage", pending
    ) % {"n": pending}
    return [{"label": label, "url": reverse("matching:my_requests", args=[program.pk])}]


def _coordinator_items(program: Program, sides: int) -> list[dict[str, str]]:
    if not sides:
        return []
    label = ngettext(
        "Approuver %(n)d groupe choisi par les participant·es",
        "Approuver %(n)d groupes choisis par les participant·es",
        sides,
    ) % {"n": sides}
    return [{"label": label, "url": reverse("matching:requests", args=[program.pk])}]


def _mentee_keys(mentees: list[Role]) -> dict[int, str]:
    """Each mentee role's side key; the programs' mentor teams are asked only when a mentee
    role has a team (see `side_key`)."""
    teamed = {r.program_id for r in mentees if r.team_id}
    teams: dict[int, set[int]] = {}
    if teamed:
        for program_id, team_id in Role.objects.filter(
            program_id__in=teamed, kind=Role.Kind.MENTOR, team__isnull=False
        ).values_list("program_id", "team_id"):
            teams.setdefault(program_id, set()).add(team_id)
    return {r.pk: side_key(r, mentor_teams=teams.get(r.program_id, ())) for r in mentees}


@receiver(dashboard_todo, sender=Program, dispatch_uid="matching.self_matching_steps")
def self_matching_steps(
    *, user: Any, programs: list[Program], roles: dict[int, list[Role]], **_kwargs: Any
) -> dict[int, list[dict[str, str]]]:
    """For every open program with self-matching, at once: a mentee's request (or the profiles
    to browse), a mentor's requests to answer, the coordinator's groups to approve."""
    served = {
        p.pk: [r for r in roles.get(p.pk, []) if r.kind in SERVED]
        for p in programs
        if p.status != Program.Status.CLOSED
    }
    served = {program_id: rs for program_id, rs in served.items() if rs}
    if not served:
        return {}
    settings = {s.program_id: s for s in SelfMatching.objects.filter(program_id__in=list(served))}
    mine = [r for program_id in settings for r in served[program_id]]
    if not mine:
        return {}
    requests = MatchRequest.objects.filter(program_id__in=list(settings))
    mentees = [r for r in mine if r.kind == Role.Kind.MENTEE]
    keys = _mentee_keys(mentees)
    asked: dict[tuple[int, str], list[MatchRequest]] = {}
    if mentees:
        for request in requests.filter(mentee_key__in=set(keys.values())).only(
            "program_id", "mentee_key", "status", "mentor_label", "created_at"
        ):  # newest first
            asked.setdefault((request.program_id, request.mentee_key), []).append(request)
    running = {pk for pk, setting in settings.items() if setting.is_running()}
    choosing = [  # the mentees who may still choose: asked whether a group holds them already
        r
        for r in mentees
        if r.program_id in running
        and not any(
            m.status in MatchRequest.LIVE for m in asked.get((r.program_id, keys[r.pk]), [])
        )
    ]
    grouped = grouped_role_ids(choosing)
    mentor_keys = {side_key(r) for r in mine if r.kind == Role.Kind.MENTOR}
    pending: dict[tuple[int, str], int] = {}
    if mentor_keys:
        pending = {
            (program_id, key): n
            for program_id, key, n in requests.filter(
                mentor_key__in=mentor_keys, status=MatchRequest.Status.PENDING
            )
            .values_list("program_id", "mentor_key")
            .annotate(n=Count("pk"))
            .order_by()
        }
    coordinated = {r.program_id for r in mine if r.kind == Role.Kind.COORDINATOR}
    sides: dict[int, int] = {}
    if coordinated:
        sides = dict(
            requests.filter(program_id__in=coordinated, status=MatchRequest.Status.ACCEPTED)
            .values_list("program_id")
            .annotate(n=Count("mentor_key", distinct=True))
            .order_by()
        )
    todo: dict[int, list[dict[str, str]]] = {}
    by_pk = {p.pk: p for p in programs}
    for program_id in settings:
        program, items = by_pk[program_id], []
        for role in served[program_id]:
            if role.kind == Role.Kind.MENTEE:
                mentee_requests = asked.get((program_id, keys[role.pk]), [])
                items += _mentee_items(
                    program, role, program_id in running, mentee_requests, grouped
                )
            elif role.kind == Role.Kind.MENTOR:
                items += _mentor_items(program, pending.get((program_id, side_key(role)), 0))
            else:
                items += _coordinator_items(program, sides.get(program_id, 0))
        if items:
            todo[program_id] = items
    return todo


@receiver(consent_withdrawn, sender=Program, dispatch_uid="matching.consent_withdrawn")
def leave_self_matching(*, program: Program, person: Any, by: Any, **_kwargs: Any) -> int:
    """A person withdrew their consent: the live requests of a side they leave empty (a person
    alone, or a team with nobody consenting left) are cancelled, and the other side is told
    without the reason. A team's requests go on with its members who still consent."""
    from .instance import roster
    from .services import cancel_requests_without_consent

    return cancel_requests_without_consent(program=program, people=roster(program), by=by)


@receiver(declarations_withdrawn, sender=Program, dispatch_uid="matching.declarations_withdrawn")
def forget_withdrawn_declarations(
    *, program: Program, person: Any, purpose: str, by: Any, **_kwargs: Any
) -> int:
    """A self-identification withdrawn for matching leaves the inputs matching stored."""
    if purpose != Purpose.MATCHING:
        return 0
    from .services import forget_declarations

    return forget_declarations(program=program, person=person, by=by)
