"""Matching's answers to « Mes programmes » (maillage.programs.signals): the self-matching
request to answer, the state of one's own request, the groups to approve."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.inclusion.models import Purpose
from maillage.inclusion.signals import declarations_withdrawn
from maillage.programs.models import Program, Role
from maillage.programs.signals import consent_withdrawn, dashboard_todo

from .instance import mentor_team_ids, side_key
from .models import MatchRequest, SelfMatching
from .signals import standing_groups_of


def _mentee_items(program: Program, role: Role, running: bool) -> list[dict[str, str]]:
    key = side_key(role, mentor_teams=mentor_team_ids(program))
    requests = program.match_requests.filter(mentee_key=key)
    live = requests.live().first()
    mine = reverse("matching:my_requests", args=[program.pk])
    if live is not None:
        if live.status == MatchRequest.Status.ACCEPTED:
            label = _("%(name)s a accepté votre demande : la coordination va approuver le groupe")
        else:
            label = _("Votre demande à %(name)s attend sa réponse")
        return [{"label": label % {"name": live.mentor_label}, "url": mine}]
    if not running:
        return []
    grouped = {r.pk for g in standing_groups_of(program) for r in g.mentee_roles}
    if role.pk in grouped:
        return []
    last = requests.first()
    profiles = reverse("matching:profiles", args=[program.pk])
    if last is not None and last.status == MatchRequest.Status.DECLINED:
        label = _("%(name)s a décliné votre demande : choisir un autre côté mentor") % {
            "name": last.mentor_label
        }
        return [{"label": label, "url": profiles}]
    return [{"label": _("Choisir votre côté mentor : parcourir les profils"), "url": profiles}]


def _mentor_items(program: Program, role: Role) -> list[dict[str, str]]:
    pending = program.match_requests.filter(
        mentor_key=side_key(role), status=MatchRequest.Status.PENDING
    ).count()
    if not pending:
        return []
    label = ngettext(
        "Répondre à %(n)d demande de jumelage", "Répondre à %(n)d demandes de jumelage", pending
    ) % {"n": pending}
    return [{"label": label, "url": reverse("matching:my_requests", args=[program.pk])}]


def _coordinator_items(program: Program) -> list[dict[str, str]]:
    sides = (
        program.match_requests.filter(status=MatchRequest.Status.ACCEPTED)
        .values("mentor_key")
        .distinct()
        .count()
    )
    if not sides:
        return []
    label = ngettext(
        "Approuver %(n)d groupe choisi par les participant·es",
        "Approuver %(n)d groupes choisis par les participant·es",
        sides,
    ) % {"n": sides}
    return [{"label": label, "url": reverse("matching:requests", args=[program.pk])}]


@receiver(dashboard_todo, sender=Program, dispatch_uid="matching.self_matching_steps")
def self_matching_steps(
    *, user: Any, programs: list[Program], roles: dict[int, list[Role]], **_kwargs: Any
) -> dict[int, list[dict[str, str]]]:
    open_programs = [p for p in programs if p.status != Program.Status.CLOSED]
    settings = {s.program_id: s for s in SelfMatching.objects.filter(program__in=open_programs)}
    todo: dict[int, list[dict[str, str]]] = {}
    for program in open_programs:
        setting = settings.get(program.pk)
        if setting is None:
            continue
        items: list[dict[str, str]] = []
        for role in roles.get(program.pk, []):
            if role.kind == Role.Kind.MENTEE:
                items += _mentee_items(program, role, setting.is_running())
            elif role.kind == Role.Kind.MENTOR:
                items += _mentor_items(program, role)
            elif role.kind == Role.Kind.COORDINATOR:
                items += _coordinator_items(program)
        if items:
            todo[program.pk] = items
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
