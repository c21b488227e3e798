"""Writes for matching: run the engine, constrain pairs, declare conflicts, accept groups."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import jumelage
from jumelage import InstanceError, load_instance
from jumelage.rules import broken_rules
from maillage.core.audit import acting_as, record, record_bulk
from maillage.core.errors import DomainError
from maillage.core.locking import locked
from maillage.core.models import Team
from maillage.core.textfit import get_encoder
from maillage.inclusion import engine_inputs
from maillage.programs.models import Program, Role
from maillage.programs.services import ensure_open, reach_stage, update_program

from .errors import MatchingError
from .instance import (
    build_instance,
    group_inputs,
    mentor_team_ids,
    restrict_to_event,
    side_key,
)
from .models import (
    Approval,
    Exclusion,
    MatchRequest,
    MatchRun,
    PairConstraint,
    ProfileCard,
    Proposal,
    SelfMatching,
)
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
    event: Any = None,
) -> MatchRun:
    """Build the instance from the program, store it and solve it. Programs above
    MATCHING_SYNC_MAX participants (400 by default) are solved by a background task; the pilot
    takes a fraction of a second. Raises MatchingError, after storing the failed run, when the
    engine finds the input contradictory: ``problems`` lists each one."""
    ensure_open(program, error=MatchingError)
    if mode not in MatchRun.Mode.values or mode == MatchRun.Mode.SELF:
        raise MatchingError(_("Mode de jumelage inconnu : « %(mode)s ».") % {"mode": mode})
    lang = (translation.get_language() or "fr")[:2]
    data, people = build_instance(program, encoder=get_encoder(), event=event)
    if event is not None:  # a speed-dating event: its sides, and only pairs who met
        data = restrict_to_event(data, event)
    # Not read by the engine: who was left out for want of consent, kept with the run.
    data["without_consent"] = [f"R{role.pk}" for role in people.left_out]
    if not data["mentors"] or not data["mentees"]:
        raise MatchingError(
            _(
                "Il faut au moins un côté mentor et une personne mentorée : attribuez les rôles "
                "Mentor·e et Personne mentorée (les candidatures retenues le deviennent)."
            )
        )
    if background is None:
        size = len(data["mentors"]) + len(data["mentees"])
        background = size > _setting("MATCHING_SYNC_MAX", 400)
    run = _start_run(
        program=program,
        mode=mode,
        seed=seed,
        data=data,
        by=by,
        status=MatchRun.Status.QUEUED if background else MatchRun.Status.RUNNING,
    )
    reach_stage(program=program, stage=Program.Status.MATCHING)
    if background:
        from .tasks import solve_run

        transaction.on_commit(lambda: solve_run.enqueue(run.pk, lang))
        return run
    execute_run(run=run, lang=lang)
    if run.is_failed:
        raise MatchingError(
            _("Le jumelage n’a pas pu être calculé : corrigez ce qui suit puis relancez."),
            run.problems,
        )
    return run


ALREADY_RUNNING = gettext_lazy(
    "Un jumelage est déjà en cours de calcul pour ce programme : son avancement s’affiche "
    "ci-dessous. Attendez son résultat avant d’en lancer un autre."
)


def _start_run(
    *, program: Program, mode: str, seed: int, data: dict[str, Any], by: Any, status: str
) -> MatchRun:
    """Store a new run, one at a time per program: under the program's row lock a run still
    under way refuses the new one (a second click, a second tab, a colleague), and the
    database's `matching_one_pending_run` constraint holds where the lock does not (SQLite).
    A run left under way longer than MATCHING_LOST_AFTER was lost with its process (a web
    request killed mid-solve): it is recorded as interrupted and no longer blocks."""
    with transaction.atomic():
        Program.objects.select_for_update().filter(pk=program.pk).first()
        for pending in program.match_runs.engine().filter(status__in=MatchRun.PENDING):
            if not pending.is_lost():
                raise MatchingError(ALREADY_RUNNING)
            _fail(
                pending, [{"code": "interrupted", "params": {}, "message": str(INTERRUPTED)}], None
            )
        try:
            with transaction.atomic():
                return MatchRun.objects.create(
                    program=program,
                    mode=mode,
                    seed=seed,
                    engine_version=jumelage.__version__,
                    fit_encoder=data.get("fit_encoder", ""),
                    instance=data,
                    created_by=by if getattr(by, "is_authenticated", False) else None,
                    status=status,
                    started_at=timezone.now() if status == MatchRun.Status.RUNNING else None,
                )
        except IntegrityError:  # another launch got there between our check and our write
            raise MatchingError(ALREADY_RUNNING) from None


INTERRUPTED = gettext_lazy(
    "Ce calcul a été interrompu avant sa fin (le serveur a redémarré) : relancez le jumelage."
)


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


def _fail(run: MatchRun, problems: list[dict[str, Any]], started: float | None) -> MatchRun:
    run.status = MatchRun.Status.FAILED
    run.problems = problems
    run.seconds = round(time.perf_counter() - started, 3) if started is not None else None
    run.finished_at = timezone.now()
    run.save()
    return run


# --- Settings ---------------------------------------------------------------------------------


def update_matching_settings(
    *, program: Program, weights: dict[str, float], revision: int | None = None, **policy: Any
) -> Program:
    """Save the matching weights and the policy fields of the program; `revision` as for
    `update_program` (a stale form is refused with `StaleEdit`, never overwrites)."""
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
    return update_program(program=program, revision=revision, matching_weights=clean, **fields)


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
    keeps who, when, the group's inputs, its factors and the engine version. The proposal is
    re-read under a row lock: two approvals at once form one group, the second is refused."""
    proposal = locked(proposal)
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
    return _approve(proposal=proposal, by=by)


def _consenting(roles: list[Role]) -> list[Role]:
    """A team side forms its group with its members who consented, as the run saw it (the others
    may join once they consent). A person alone is kept, so that `create_group` refuses the
    group and names them."""
    if len(roles) < 2:
        return roles
    kept = set(
        Role.objects.filter(pk__in=[r.pk for r in roles]).consented().values_list("pk", flat=True)
    )
    return [r for r in roles if r.pk in kept] or roles


def _approve(*, proposal: Proposal, by: Any) -> Any:
    """Form the group of a proposal (the engine's, or self-matching's) and keep its approval."""
    run = proposal.run
    program = run.program
    mentor_roles = _consenting(mentor_roles_for(program, proposal.mentor_key))
    # A mentee team side brings all its members into the group (those who consented).
    mentees = [
        role for key in proposal.mentee_keys for role in _consenting(mentee_roles_for(program, key))
    ]
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
    # A mentee side now in a group asks nobody any more: its live request elsewhere closes and
    # frees that mentor side's seat (self-matching's own accepted request is approved instead).
    stale = (
        MatchRequest.objects.live()
        .filter(program=program, mentee_key__in=proposal.mentee_keys)
        .exclude(mentor_key=proposal.mentor_key, status=MatchRequest.Status.ACCEPTED)
    )
    for req in stale:
        req.status = MatchRequest.Status.CANCELLED
        req.coordinator_reason = str(_("Groupe formé par la coordination avec un autre côté."))
        req.save(update_fields=["status", "coordinator_reason", "updated_at"])
        _log(req, "match_request.cancelled", group=str(group))
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


# --- Self-matching ----------------------------------------------------------------------------
# A mentee side asks a mentor side; the mentor side answers; the coordinator approves the group
# formed by the accepted requests, with the same approval record as the engine's proposals.
# A mentee side holds one live request at a time: asking elsewhere means withdrawing first, so
# that nobody hoards seats while others wait.


def open_self_matching(
    *, program: Program, is_open: bool, closes_at: Any = None, by: Any
) -> SelfMatching:
    """Open or close self-matching and set its deadline (requests and answers)."""
    ensure_open(program, error=MatchingError)
    if is_open and closes_at is not None and closes_at <= timezone.now():
        raise MatchingError(_("La date limite doit être dans le futur."), field="closes_at")
    with transaction.atomic():
        setting, _created = SelfMatching.objects.get_or_create(program=program)
        before = (setting.is_open, setting.closes_at)
        setting.is_open = is_open
        setting.closes_at = closes_at
        setting.updated_by = _user(by)
        setting.save()
        record(
            action="self_matching.opened" if is_open else "self_matching.closed",
            instance=setting,
            program_id=program.pk,
            changes={
                "is_open": [before[0], is_open],
                "closes_at": [str(before[1] or ""), str(closes_at or "")],
            },
        )
    return setting


def save_profile_card(
    *,
    program: Program,
    person: Any,
    photo: Any = None,
    remove_photo: bool = False,
    **fields: Any,
) -> ProfileCard:
    """Save what a participant lets the other side see (a new photo replaces the old one)."""
    ensure_open(program, error=MatchingError)
    allowed = {"intro", *ProfileCard.SHOWN}
    with transaction.atomic():
        card, _created = ProfileCard.objects.select_for_update().get_or_create(
            program=program, person=person
        )
        for name, value in fields.items():
            if name in allowed:
                setattr(card, name, value)
        old = card.photo.name if card.photo else ""
        if remove_photo:
            card.photo = ""
            card.show_photo = False
        if photo:
            card.photo.save(photo.name, photo, save=False)
        try:
            card.full_clean()
        except ValidationError as error:
            found = DomainError.from_validation(error)
            raise MatchingError(found.message, field=found.field) from error
        card.save()
        if old and old != (card.photo.name if card.photo else ""):
            storage = card.photo.storage
            transaction.on_commit(lambda: storage.delete(old))
    return card


def _mail_side(roles: list[Role], template: str, context: dict[str, Any]) -> None:
    """E-mail each person of a side in their own language, once the change is saved."""
    from maillage.core.emails import person_email

    for role in roles:
        person = role.person
        if not person.email:
            continue
        message = person_email(
            person,
            templates=f"matching/emails/{template}",
            context=lambda person=person: {
                **context,
                "person": person,
                "status": context["request"].get_status_display(),
            },
        )
        transaction.on_commit(lambda message=message: message.send(fail_silently=True))


def _request_link(program: Program) -> str:
    from django.urls import reverse

    return settings.SITE_URL + reverse("matching:my_requests", args=[program.pk])


def _log(req: MatchRequest, action: str, **changes: Any) -> None:
    record(action=action, instance=req, program_id=req.program_id, changes=changes)


def send_match_request(
    *,
    program: Program,
    user: Any,
    mentor_key: str,
    message: str,
    for_mentee: str = "",
    notify: bool = True,
) -> MatchRequest:
    """The user's mentee side asks the mentor side `mentor_key` for a seat. The mentor side's
    row is locked while its seats are counted, so that two mentees asking for its last seat
    at once cannot both get it; the unique live request per mentee side makes a double click
    create one request."""
    from .seats import build_board, own_side

    ensure_open(program, error=MatchingError)
    message = (message or "").strip()
    if not message:
        raise MatchingError(_("Écrivez un mot au côté mentor : il le lira avant de répondre."))
    with transaction.atomic():
        stand_in = mentor_role_for(program, mentor_key)
        # Serialises the requests for one mentor side (PostgreSQL; SQLite takes its write lock
        # at the start of every transaction).
        Role.objects.select_for_update().filter(pk=stand_in.pk).first()
        board = build_board(program)
        if for_mentee:
            # A mentee who asked by phone or in person: the coordination records it for her.
            if not _is_coordinator(program, user):
                raise MatchingError(_("Seule la coordination demande pour une autre personne."))
            side = board.people.mentee(for_mentee)
        else:
            side = own_side(program, user, Role.Kind.MENTEE, board.people)
        if side is None:
            if (
                not for_mentee
                and program.roles.of_user(user)
                .filter(kind=Role.Kind.MENTEE)
                .without_consent()
                .exists()
            ):
                raise MatchingError(
                    _(
                        "Votre consentement pour ce programme manque : donnez-le d’abord, puis "
                        "faites votre demande."
                    )
                )
            raise MatchingError(_("Seules les personnes mentorées du programme peuvent demander."))
        mentor = board.people.mentor(mentor_key) or board.people.mentor(side_key(stand_in))
        if mentor is None:
            raise MatchingError(_("Ce côté mentor ne fait pas partie du programme."))
        reasons = board.blockers(side.key, mentor.key)
        if reasons:
            raise MatchingError(reasons[0], problems=[{"message": r} for r in reasons[1:]])
        try:
            with transaction.atomic():
                req = MatchRequest.objects.create(
                    program=program,
                    mentee_key=side.key,
                    mentor_key=mentor.key,
                    mentee_role=side.role,
                    mentor_role=mentor.role,
                    mentee_label=side.label[:300],
                    mentor_label=mentor.label[:300],
                    message=message[:2000],
                    requested_by=_user(user),
                )
        except IntegrityError as error:
            raise MatchingError(
                _("Vous avez déjà une demande en cours : retirez-la d’abord.")
            ) from error
        _log(req, "match_request.sent", mentor=mentor.key, mentee=side.key)
        if notify:  # the demo's invented people get no e-mail
            _mail_side(
                mentor.roles,
                "request_new",
                {"request": req, "program": program, "link": _request_link(program)},
            )
    return req


def _locked(req: MatchRequest) -> MatchRequest:
    return MatchRequest.objects.select_for_update().get(pk=req.pk)


def _is_coordinator(program: Program, user: Any) -> bool:
    return (
        getattr(user, "is_superuser", False)
        or program.roles.of_user(user).filter(kind=Role.Kind.COORDINATOR).exists()
    )


def _side_roles(program: Program, key: str, kind: str) -> list[Role]:
    return mentor_roles_for(program, key) if kind == "mentor" else mentee_roles_for(program, key)


def _member_of(program: Program, user: Any, key: str, kind: str) -> bool:
    try:
        roles = _side_roles(program, key, kind)
    except MatchingError:
        return False
    return any(r.person.user_id == getattr(user, "pk", None) for r in roles)


def _ensure_running(program: Program) -> None:
    setting = SelfMatching.objects.filter(program=program).first()
    if setting is None or not setting.is_running():
        raise MatchingError(
            _("L’auto-jumelage est fermé ou sa date limite est passée : la coordination décide.")
        )


def answer_match_request(
    *, request: MatchRequest, user: Any, accept: bool, answer: str, reason: str = ""
) -> MatchRequest:
    """The mentor side accepts or declines a pending request with a message; the coordinator may
    answer on its behalf, saying why (kept in the audit trail), even after the deadline."""
    program = request.program
    ensure_open(program, error=MatchingError)
    answer = (answer or "").strip()
    reason = (reason or "").strip()
    member = _member_of(program, user, request.mentor_key, "mentor")
    if not member:
        if not _is_coordinator(program, user):
            raise MatchingError(_("Seul le côté mentor demandé peut répondre."))
        if not reason:
            raise MatchingError(
                _("Dites pourquoi la coordination répond à la place du côté mentor."),
                field="reason",
            )
    else:
        _ensure_running(program)
    if not accept and not answer:
        raise MatchingError(
            _("Un mot d’explication aide la personne à choisir ailleurs : écrivez-le."),
            field="answer",
        )
    with transaction.atomic():
        req = _locked(request)
        if req.status != MatchRequest.Status.PENDING:
            raise MatchingError(
                _("Cette demande a déjà une réponse : %(status)s.")
                % {"status": req.get_status_display().lower()}
            )
        req.status = MatchRequest.Status.ACCEPTED if accept else MatchRequest.Status.DECLINED
        req.answer = answer[:2000]
        req.answered_by = _user(user)
        req.answered_at = timezone.now()
        req.coordinator_reason = "" if member else reason
        req.save()
        _log(
            req,
            "match_request.accepted" if accept else "match_request.declined",
            on_behalf=not member,
            reason=req.coordinator_reason,
        )
        context = {"request": req, "program": program, "link": _request_link(program)}
        _mail_side(_side_roles(program, req.mentee_key, "mentee"), "request_answered", context)
    request.refresh_from_db()
    return request


def withdraw_match_request(*, request: MatchRequest, user: Any, reason: str = "") -> MatchRequest:
    """The mentee side withdraws its live request (its seat is freed); the coordinator may
    cancel any live request, saying why."""
    program = request.program
    ensure_open(program, error=MatchingError)
    reason = (reason or "").strip()
    member = _member_of(program, user, request.mentee_key, "mentee")
    if not member:
        if not _is_coordinator(program, user):
            raise MatchingError(_("Seule la personne qui a demandé peut retirer sa demande."))
        if not reason:
            raise MatchingError(_("Dites pourquoi la coordination annule cette demande."))
    with transaction.atomic():
        req = _locked(request)
        if not req.is_live:
            raise MatchingError(_("Cette demande n’est plus en cours."))
        req.status = MatchRequest.Status.WITHDRAWN if member else MatchRequest.Status.CANCELLED
        req.coordinator_reason = "" if member else reason
        req.save()
        _log(
            req,
            "match_request.withdrawn" if member else "match_request.cancelled",
            reason=req.coordinator_reason,
        )
        context = {"request": req, "program": program, "link": _request_link(program)}
        _mail_side(_side_roles(program, req.mentor_key, "mentor"), "request_closed", context)
        if not member:
            _mail_side(_side_roles(program, req.mentee_key, "mentee"), "request_closed", context)
    request.refresh_from_db()
    return request


def cancel_requests_without_consent(*, program: Program, people: Any, by: Any) -> int:
    """Cancel the live self-matching requests of program sides that are no longer in `people`
    (the roster of those who consented): asked of or by someone who withdrew their consent.
    The other side's people get the usual « request closed » e-mail with a neutral reason, since
    why a person left is theirs to tell. Returns how many were cancelled."""
    mentees = {s.key for s in people.mentees}
    mentors = {s.key for s in people.mentors}
    reason = _("Cette personne ne participe plus à l’auto-jumelage du programme.")
    cancelled = 0
    with acting_as(by), transaction.atomic():
        for req in MatchRequest.objects.live().filter(program=program).select_for_update():
            gone_mentee = req.mentee_key not in mentees
            if not gone_mentee and req.mentor_key in mentors:
                continue
            req.status = MatchRequest.Status.CANCELLED
            req.coordinator_reason = str(reason)
            req.save(update_fields=["status", "coordinator_reason", "updated_at"])
            _log(req, "match_request.cancelled", reason="consent_withdrawn")
            context = {"request": req, "program": program, "link": _request_link(program)}
            other = [s for s in (people.mentor(req.mentor_key), people.mentee(req.mentee_key)) if s]
            for side in other:
                _mail_side(side.roles, "request_closed", context)
            cancelled += 1
    return cancelled


def approve_self_matched_group(*, program: Program, mentor_key: str, by: Any) -> Any:
    """The coordinator approves the group formed by a mentor side's accepted requests: it is
    recorded as a proposal of a self-matching run and approved as the engine's proposals are
    (same Approval, same signal that forms the group). The rules are checked once more."""
    from jumelage.explain import explain_groups

    from .seats import RULE_REASONS, build_board

    ensure_open(program, error=MatchingError)
    with transaction.atomic():
        requests = list(
            MatchRequest.objects.select_for_update().filter(
                program=program, mentor_key=mentor_key, status=MatchRequest.Status.ACCEPTED
            )
        )
        if not requests:
            raise MatchingError(_("Aucune demande acceptée à approuver pour ce côté mentor."))
        board = build_board(program)
        inst = board.inst
        j = inst.mentor_index.get(mentor_key)
        keys = [r.mentee_key for r in requests]
        if j is None or any(k not in inst.mentee_index for k in keys):
            raise MatchingError(_("Ces personnes ne font plus toutes partie du programme."))
        rows = [inst.mentee_index[k] for k in keys]
        for req, i in zip(requests, rows, strict=True):
            for rule in broken_rules(inst, j, i):
                raise MatchingError(
                    _("%(mentee)s : %(reason)s")
                    % {"mentee": req.mentee_label, "reason": RULE_REASONS[rule]}
                )
        data, _people = build_instance(program, people=board.people)
        score, explanation = explain_groups(inst, [(j, rows)])[0]
        run = MatchRun.objects.create(
            program=program,
            mode=MatchRun.Mode.SELF,
            engine_version=jumelage.__version__,
            fit_encoder=data.get("fit_encoder", ""),
            instance=group_inputs(data, mentor_key, keys),
            status=MatchRun.Status.DONE,
            created_by=_user(by),
            finished_at=timezone.now(),
            certificate={"status": "self_matching"},
        )
        mentor = board.people.mentor(mentor_key)
        proposal = Proposal.objects.create(
            run=run,
            mentor_key=mentor_key,
            mentor_label=(mentor.label if mentor else requests[0].mentor_label)[:300],
            mentee_keys=keys,
            track=mentor.track if mentor else None,
            score=float(score),
            explanation=explanation,
        )
        group = _approve(proposal=proposal, by=by)
        for req in requests:
            req.status = MatchRequest.Status.APPROVED
            req.proposal = proposal
            req.save(update_fields=["status", "proposal", "updated_at"])
            _log(req, "match_request.approved", group=str(group))
    return group


def forget_declarations(*, program: Program, person: Any, by: Any) -> int:
    """A person withdrew the self-identification they made for matching: it leaves the inputs
    every stored run and approval of the program keeps, so that no file or page built from them
    holds it any more. A team side loses every member's declarations in the stored copies (the
    next run reads the others' again). Returns how many runs and approvals changed."""
    roles = program.roles.filter(person=person, kind__in=[Role.Kind.MENTOR, Role.Kind.MENTEE])
    keys = {f"R{r.pk}" for r in roles} | {f"T{r.team_id}" for r in roles if r.team_id}
    if not keys:
        return 0

    def scrub(data: dict[str, Any]) -> dict[str, Any] | None:
        changed = False
        out = dict(data)
        for side in ("mentors", "mentees"):
            sides = []
            for entry in data.get(side, []):
                if entry.get("id") in keys:
                    clean = engine_inputs.strip(entry)
                    changed = changed or clean != entry
                    entry = clean
                sides.append(entry)
            out[side] = sides
        return out if changed else None

    runs, approvals = [], []
    with transaction.atomic():
        for pk, instance in MatchRun.objects.filter(program=program).values_list("pk", "instance"):
            clean = scrub(instance or {})
            if clean is not None:
                MatchRun.objects.filter(pk=pk).update(instance=clean)
                runs.append(pk)
        for pk, inputs in Approval.objects.filter(run__program=program).values_list("pk", "inputs"):
            clean = scrub(inputs or {})
            if clean is not None:
                Approval.objects.filter(pk=pk).update(inputs=clean)
                approvals.append(pk)
        # The entries say which rows lost something, never what.
        record_bulk(
            action="matching.declarations_forgotten",
            model=MatchRun,
            ids=runs,
            by=by,
            program_id=program.pk,
        )
        record_bulk(
            action="matching.declarations_forgotten",
            model=Approval,
            ids=approvals,
            by=by,
            program_id=program.pk,
        )
    return len(runs) + len(approvals)
