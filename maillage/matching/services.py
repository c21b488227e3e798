"""Writes for matching: run the engine, constrain pairs, declare conflicts, accept groups."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import jumelage
from jumelage import InstanceError, load_instance
from maillage.core.audit import record_bulk
from maillage.core.errors import DomainError
from maillage.core.models import Team
from maillage.core.textfit import get_encoder
from maillage.programs.models import Program, Role
from maillage.programs.services import ensure_open, reach_stage, update_program

from .errors import MatchingError
from .instance import build_instance, group_inputs, mentor_team_ids, side_key
from .models import Approval, Exclusion, MatchRun, PairConstraint, Proposal
from .signals import form_group, standing_groups_of

logger = logging.getLogger(__name__)


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


# --- Runs -------------------------------------------------------------------------------------


def run_matching(
    *,
    program: Program,
    by: Any,
    mode: str = "exact",
    seed: int = 0,
    background: bool | None = None,
) -> MatchRun:
    """Build the instance from the program, store it and solve it. Programs above
    MATCHING_SYNC_MAX participants (400 by default) are solved by a background task; the pilot
    takes a fraction of a second. Raises MatchingError, after storing the failed run, when the
    engine finds the input contradictory: ``problems`` lists each one."""
    ensure_open(program, error=MatchingError)
    if mode not in MatchRun.Mode.values:
        raise MatchingError(_("Mode de jumelage inconnu : « %(mode)s ».") % {"mode": mode})
    lang = (translation.get_language() or "fr")[:2]
    data, people = build_instance(program, encoder=get_encoder())
    if not people.mentors or not people.mentees:
        raise MatchingError(
            _(
                "Il faut au moins un côté mentor et une personne mentorée : attribuez les rôles "
                "Mentor·e et Personne mentorée (les candidatures retenues le deviennent)."
            )
        )
    run = MatchRun.objects.create(
        program=program,
        mode=mode,
        seed=seed,
        engine_version=jumelage.__version__,
        fit_encoder=data.get("fit_encoder", ""),
        instance=data,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        status=MatchRun.Status.RUNNING,
    )
    reach_stage(program=program, stage=Program.Status.MATCHING)
    if background is None:
        size = len(people.mentors) + len(people.mentees)
        background = size > _setting("MATCHING_SYNC_MAX", 400)
    if background:
        from .tasks import solve_run

        run.status = MatchRun.Status.QUEUED
        run.save(update_fields=["status"])
        transaction.on_commit(lambda: solve_run.enqueue(run.pk, lang))
        return run
    execute_run(run=run, lang=lang)
    if run.is_failed:
        raise MatchingError(
            _("Le jumelage n’a pas pu être calculé : corrigez ce qui suit puis relancez."),
            run.problems,
        )
    return run


def execute_run(*, run: MatchRun, lang: str = "fr") -> MatchRun:
    """Solve a stored run and record the answer: groups become proposals; contradictory input
    becomes a failed run with the engine's problems. Never raises for bad input."""
    started = time.perf_counter()
    try:
        instance = load_instance(run.instance, lang=lang)
        result = jumelage.solve(
            instance,
            mode=run.mode,
            time_limit=float(_setting("MATCHING_TIME_LIMIT", 20)),
            seed=run.seed,
            lang=lang,
        )
    except InstanceError as exc:
        return _fail(run, [p.to_dict() for p in exc.problems], started)
    except Exception:  # a bug in the engine must reach the logs, never the coordinator's screen
        logger.exception("matching run %s failed", run.pk)
        message = _(
            "Le moteur de jumelage a rencontré une erreur inattendue. Réessayez ; si l’erreur "
            "revient, écrivez à l’équipe technique (exécution n° %(run)s)."
        ) % {"run": run.pk}
        return _fail(run, [{"code": "engine_error", "params": {}, "message": message}], started)
    answer = result.to_dict()
    tracks = {p["id"]: p.get("track_id") for p in run.instance.get("mentors", [])}
    labels = run.labels()
    with transaction.atomic():
        run.result = answer
        run.certificate = answer.get("certificate", {})
        run.status = MatchRun.Status.DONE
        run.seconds = round(time.perf_counter() - started, 3)
        run.finished_at = timezone.now()
        run.save()
        proposals = Proposal.objects.bulk_create(
            Proposal(
                run=run,
                order=n,
                mentor_key=group["mentor"],
                mentor_label=labels.get(group["mentor"], group["mentor"])[:300],
                mentee_keys=list(group["mentees"]),
                track_id=tracks.get(group["mentor"]),
                score=float(group.get("score", 0.0)),
                explanation=group.get("explanation", {}),
            )
            for n, group in enumerate(answer.get("groups", []))
        )
        record_bulk(
            action="bulk_create",
            model=Proposal,
            ids=[p.pk for p in proposals],
            by=None,
            changes={"run": run.pk},
            program_id=run.program_id,
        )
    return run


def _fail(run: MatchRun, problems: list[dict[str, Any]], started: float) -> MatchRun:
    run.status = MatchRun.Status.FAILED
    run.problems = problems
    run.seconds = round(time.perf_counter() - started, 3)
    run.finished_at = timezone.now()
    run.save()
    return run


# --- Settings ---------------------------------------------------------------------------------


def update_matching_settings(
    *, program: Program, weights: dict[str, float], **policy: Any
) -> Program:
    """Save the matching weights and the policy fields of the program."""
    ensure_open(program, error=MatchingError)
    if any(value is None or value < 0 for value in weights.values()):
        raise MatchingError(_("Les poids sont des nombres positifs ou nuls."))
    allowed = {
        "region_rule",
        "mentees_from_different_regions",
        "allow_mentor_from_other_sector",
        "mentees_per_group",
    }
    fields = {k: v for k, v in policy.items() if k in allowed}
    clean = {name: float(value) for name, value in weights.items()}
    return update_program(program=program, matching_weights=clean, **fields)


# --- Who is who -------------------------------------------------------------------------------


def mentor_role_for(program: Program, key: str) -> Role:
    """The role that stands for the mentor side `key` ("R12" or "T3") in `program`."""
    roles = Role.objects.filter(program=program, kind=Role.Kind.MENTOR).order_by("pk")
    role = None
    if key[:1] == "T" and key[1:].isdigit():
        role = roles.filter(team_id=int(key[1:])).first()
    elif key[:1] == "R" and key[1:].isdigit():
        role = roles.filter(pk=int(key[1:])).first()
        if role is not None and role.team_id:
            role = roles.filter(team_id=role.team_id).first()
    if role is None:
        raise MatchingError(_("Ce côté mentor ne fait pas partie du programme."))
    return role


def mentor_roles_for(program: Program, key: str) -> list[Role]:
    role = mentor_role_for(program, key)
    if role.team_id:
        return list(
            Role.objects.filter(program=program, kind=Role.Kind.MENTOR, team_id=role.team_id)
            .select_related("person")
            .order_by("pk")
        )
    return [role]


def mentee_roles_for(program: Program, key: str) -> list[Role]:
    """The roles of the mentee side `key` ("R45", or "T3" for a mentee team) in `program`: all
    of a team's members, even when `key` names one of them."""
    roles = (
        Role.objects.filter(program=program, kind=Role.Kind.MENTEE)
        .select_related("person")
        .order_by("pk")
    )
    found: list[Role] = []
    if key[:1] == "T" and key[1:].isdigit():
        team_id = int(key[1:])
        if team_id not in mentor_team_ids(program):
            found = list(roles.filter(team_id=team_id))
    elif key[:1] == "R" and key[1:].isdigit():
        role = roles.filter(pk=int(key[1:])).first()
        if role is not None:
            side = side_key(role, mentor_teams=mentor_team_ids(program))
            found = list(roles.filter(team_id=role.team_id)) if side[:1] == "T" else [role]
    if not found:
        raise MatchingError(_("Cette personne mentorée ne fait pas partie du programme."))
    return found


def _grouped_mentees(program: Program) -> set[int]:
    """Role ids of the mentees already in an active group of the program."""
    return {r.pk for g in standing_groups_of(program) for r in g.mentee_roles}


def _not_grouped(program: Program, mentees: list[Role]) -> None:
    grouped = _grouped_mentees(program)
    taken = [r for r in mentees if r.pk in grouped]
    if taken:
        raise MatchingError(
            _("%(name)s fait déjà partie d’un groupe accepté : ce jumelage est conservé.")
            % {"name": taken[0].person.full_name}
        )


# --- Pair constraints -------------------------------------------------------------------------


@transaction.atomic
def lock_pair(
    *, program: Program, mentor_key: str, mentee_key: str, by: Any, source: str = "coordinator"
) -> PairConstraint:
    """Impose a pair in every later run. A mentee is imposed on one side only: an earlier lock
    of the same mentee elsewhere is replaced."""
    ensure_open(program, error=MatchingError)
    mentor = mentor_role_for(program, mentor_key)
    side = mentee_roles_for(program, mentee_key)
    mentee = side[0]
    _not_grouped(program, side)
    # A team's earlier lock may be stored on any of its members.
    PairConstraint.objects.filter(
        program=program, mentee__in=side, kind=PairConstraint.Kind.LOCK
    ).exclude(mentor=mentor, mentee=mentee).delete()
    constraint, _created = PairConstraint.objects.update_or_create(
        program=program,
        mentor=mentor,
        mentee=mentee,
        defaults={"kind": PairConstraint.Kind.LOCK, "source": source, "created_by": _user(by)},
    )
    return constraint


@transaction.atomic
def forbid_pair(
    *, program: Program, mentor_key: str, mentee_key: str, by: Any, source: str = "coordinator"
) -> PairConstraint:
    """Forbid a pair in every later run (an earlier lock of the same pair is lifted)."""
    ensure_open(program, error=MatchingError)
    mentor = mentor_role_for(program, mentor_key)
    side = mentee_roles_for(program, mentee_key)
    mentee = side[0]
    _not_grouped(program, side)
    PairConstraint.objects.filter(program=program, mentor=mentor, mentee__in=side[1:]).delete()
    constraint, _created = PairConstraint.objects.update_or_create(
        program=program,
        mentor=mentor,
        mentee=mentee,
        defaults={"kind": PairConstraint.Kind.FORBID, "source": source, "created_by": _user(by)},
    )
    return constraint


def move_mentee(*, program: Program, mentee_key: str, to_mentor_key: str, by: Any) -> MatchRun:
    """Move a mentee to another mentor side: impose the new pair, forbid the one proposed by the
    latest run, and run again with the same mode and seed."""
    ensure_open(program, error=MatchingError)
    latest = program.match_runs.done().first()
    with transaction.atomic():
        lock_pair(
            program=program,
            mentor_key=to_mentor_key,
            mentee_key=mentee_key,
            by=by,
            source=PairConstraint.Source.MOVE,
        )
        old = _proposed_mentor(latest, mentee_key) if latest else None
        if old and side_key(mentor_role_for(program, old)) != side_key(
            mentor_role_for(program, to_mentor_key)
        ):
            forbid_pair(
                program=program,
                mentor_key=old,
                mentee_key=mentee_key,
                by=by,
                source=PairConstraint.Source.MOVE,
            )
    return run_matching(
        program=program,
        by=by,
        mode=latest.mode if latest else "exact",
        seed=latest.seed if latest else 0,
    )


def _proposed_mentor(run: MatchRun, mentee_key: str) -> str | None:
    for proposal in run.proposals.all():
        if mentee_key in proposal.mentee_keys:
            return proposal.mentor_key
    return None


def remove_constraint(*, constraint: PairConstraint) -> None:
    ensure_open(constraint.program, error=MatchingError)
    constraint.delete()


def clear_constraints(*, program: Program) -> int:
    """Lift every lock and forbid of the coordinator (accepted groups stay together)."""
    ensure_open(program, error=MatchingError)
    count, _detail = PairConstraint.objects.filter(program=program).delete()
    return count


# --- Conflicts --------------------------------------------------------------------------------


@transaction.atomic
def declare_exclusion(
    *,
    program: Program,
    mentor_key: str,
    mentee_key: str,
    reason: str,
    declared_by: str,
    note: str = "",
    by: Any,
) -> Exclusion:
    """Record a conflict of interest or a competition: the pair is never proposed."""
    ensure_open(program, error=MatchingError)
    mentor = mentor_role_for(program, mentor_key)
    side = mentee_roles_for(program, mentee_key)
    mentee = side[0]
    exclusion = Exclusion.objects.filter(program=program, mentor=mentor, mentee=mentee).first()
    exclusion = exclusion or Exclusion(program=program, mentor=mentor, mentee=mentee)
    exclusion.reason = reason
    exclusion.declared_by = declared_by
    exclusion.note = note
    exclusion.created_by = _user(by)
    exclusion.full_clean()
    exclusion.save()
    # A forbid is redundant with the exclusion, a lock contradicts it: the declaration wins.
    PairConstraint.objects.filter(program=program, mentor=mentor, mentee__in=side).delete()
    return exclusion


def remove_exclusion(*, exclusion: Exclusion) -> None:
    ensure_open(exclusion.program, error=MatchingError)
    exclusion.delete()


# --- Approval ---------------------------------------------------------------------------------


@transaction.atomic
def accept_proposal(*, proposal: Proposal, by: Any) -> Any:
    """A person approves one proposed group: the mentoring group is formed and the approval
    keeps who, when, the group's inputs, its factors and the engine version."""
    ensure_open(proposal.run.program, error=MatchingError)
    run = proposal.run
    program = run.program
    latest = program.match_runs.done().first()
    if latest is None or latest.pk != run.pk:
        raise MatchingError(
            _(
                "Ces propositions viennent d’un jumelage antérieur : acceptez celles du jumelage "
                "le plus récent."
            )
        )
    if proposal.is_accepted:
        raise MatchingError(_("Ce groupe est déjà accepté."))
    mentor_roles = mentor_roles_for(program, proposal.mentor_key)
    # A mentee team side brings all its members into the group.
    mentees = [role for key in proposal.mentee_keys for role in mentee_roles_for(program, key)]
    team = (
        Team.objects.filter(pk=mentor_roles[0].team_id).first() if mentor_roles[0].team_id else None
    )
    now = timezone.now()
    try:
        group = form_group(
            program=program,
            proposal=proposal,
            mentor_roles=mentor_roles,
            mentee_roles=mentees,
            mentor_team=team,
            by=_user(by),
            at=now,
        )
    except DomainError as error:
        raise MatchingError(error.message) from error
    if group is None:
        raise MatchingError(
            _("Aucun module ne forme les groupes : ce groupe ne peut être accepté.")
        )
    Approval.objects.create(
        proposal=proposal,
        run=run,
        approved_by=_user(by),
        approved_at=now,
        engine_version=run.engine_version,
        inputs=group_inputs(run.instance, proposal.mentor_key, proposal.mentee_keys),
        factors={
            "score": proposal.score,
            "explanation": proposal.explanation,
            "certificate": run.certificate,
            "mode": run.mode,
            "seed": run.seed,
        },
    )
    proposal.status = Proposal.Status.ACCEPTED
    proposal.save(update_fields=["status"])
    # The pairs now live in the group: coordinator constraints on these mentees are spent.
    PairConstraint.objects.filter(program=program, mentee__in=mentees).delete()
    return group


@transaction.atomic
def accept_run(*, run: MatchRun, by: Any) -> list[Any]:
    """Approve every group of the run not approved yet."""
    ensure_open(run.program, error=MatchingError)
    groups = []
    teams = mentor_team_ids(run.program)
    for proposal in run.proposals.filter(status=Proposal.Status.PROPOSED):
        grouped = {
            side_key(r, mentor_teams=teams)
            for g in standing_groups_of(run.program)
            for r in g.mentee_roles
        }
        if any(key in grouped for key in proposal.mentee_keys):
            continue
        groups.append(accept_proposal(proposal=proposal, by=by))
    return groups


def _user(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None
