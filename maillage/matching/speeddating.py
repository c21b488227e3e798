"""Speed dating mentoral (issue 13): plan an event, build its rotation with the engine, send each
person their timetable, take the rankings, and form the groups from them with the stable mode.

The pilot's report recommends groups formed « par les participant·es, sans intermédiaire », for
instance by a « speed dating mentoral »: the coordinator only plans and approves.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

import jumelage
from jumelage import InstanceError, load_instance
from jumelage.check import check as check_result
from jumelage.rotation import rotation as plan
from maillage.core.audit import acting_as, record
from maillage.core.emails import person_email
from maillage.core.models import Person, Territory
from maillage.core.textfit import get_encoder, thresholds
from maillage.programs.models import Program, Role
from maillage.programs.services import ensure_open

from .errors import MatchingError
from .instance import Roster, Side, build_instance, mentor_team_ids, roster, side_key
from .models import MatchRun, SpeedDatingEvent, SpeedDatingMeeting, SpeedDatingRanking

logger = logging.getLogger(__name__)
PRODID = "-//Maillage//Speed dating mentoral//FR"


@dataclass
class EventPlan:
    """What the coordinator decides about an event (the form's cleaned data)."""

    title: str
    format: str
    starts_at: datetime
    rounds: int
    round_minutes: int
    break_minutes: int
    places: list[str]
    address: str
    mentee_keys: list[str]
    mentor_keys: list[str]
    ranking_deadline: datetime


# --- Who may take part ------------------------------------------------------------------------


def invitable(program: Program) -> Roster:
    """The program's mentee sides and mentor sides (a team is one side)."""
    return roster(program)


def side_of(program: Program, user: Any, event: SpeedDatingEvent) -> tuple[str, str] | None:
    """(side key, "mentor" or "mentee") of the signed-in user in `event`, None when not invited."""
    if not getattr(user, "is_authenticated", False):
        return None
    roles = Role.objects.filter(
        program=program, person__user=user, kind__in=[Role.Kind.MENTOR, Role.Kind.MENTEE]
    ).consented()  # a person who withdrew their consent no longer ranks anyone
    return side_among(list(roles), event, mentor_teams=mentor_team_ids(program))


def side_among(
    roles: list[Role], event: SpeedDatingEvent, *, mentor_teams: Any
) -> tuple[str, str] | None:
    """`side_of` from the user's consented mentor and mentee roles in the event's program
    (`mentor_teams`: the program's mentor teams, see `side_key`)."""
    for role in roles:
        key = side_key(role, mentor_teams=mentor_teams)
        if role.kind == Role.Kind.MENTOR and key in event.mentor_keys:
            return key, "mentor"
        if role.kind == Role.Kind.MENTEE and key in event.mentee_keys:
            return key, "mentee"
    return None


def people_of_side(program: Program, key: str) -> list[Person]:
    """The people of one side ("R12" a role, "T3" a team) in the program who consented: the
    others get no timetable, no calendar and no ranking form."""
    roles = Role.objects.filter(
        program=program, kind__in=[Role.Kind.MENTOR, Role.Kind.MENTEE]
    ).consented()
    if key[:1] == "T" and key[1:].isdigit():
        roles = roles.filter(team_id=int(key[1:]))
    elif key[:1] == "R" and key[1:].isdigit():
        roles = roles.filter(pk=int(key[1:]))
    else:
        return []
    return [r.person for r in roles.select_related("person__user").order_by("pk")]


# --- Plan, edit, cancel -----------------------------------------------------------------------


def _validate(plan_: EventPlan, people: Roster) -> None:
    mentees = {s.key for s in people.mentees}
    mentors = {s.key for s in people.mentors}
    if not plan_.mentee_keys or not plan_.mentor_keys:
        raise MatchingError(_("Invitez au moins une personne mentorée et un côté mentor."))
    if set(plan_.mentee_keys) - mentees or set(plan_.mentor_keys) - mentors:
        raise MatchingError(_("Une personne invitée ne fait pas partie du programme."))
    if not [p for p in plan_.places if p.strip()]:
        raise MatchingError(_("Indiquez au moins une salle ou un lien de visioconférence."))
    if plan_.ranking_deadline <= plan_.starts_at:
        raise MatchingError(_("La date limite des classements vient après l’événement."))


def _apply(event: SpeedDatingEvent, plan_: EventPlan) -> None:
    for name in (
        "title",
        "format",
        "starts_at",
        "rounds",
        "round_minutes",
        "break_minutes",
        "address",
        "ranking_deadline",
    ):
        setattr(event, name, getattr(plan_, name))
    event.places = [p.strip() for p in plan_.places if p.strip()]
    event.mentee_keys = list(dict.fromkeys(plan_.mentee_keys))
    event.mentor_keys = list(dict.fromkeys(plan_.mentor_keys))


def plan_event(*, program: Program, plan: EventPlan, by: Any) -> SpeedDatingEvent:
    """Create an event and build its rotation (timetables are sent when it is published)."""
    ensure_open(program, error=MatchingError)
    people = invitable(program)
    _validate(plan, people)
    with transaction.atomic(), acting_as(by):
        event = SpeedDatingEvent(program=program, created_by=_user(by))
        _apply(event, plan)
        event.full_clean()
        event.save()
        build_rotation(event=event, people=people)
        record(action="speed_dating.planned", instance=event, program_id=program.pk)
    return event


def update_event(*, event: SpeedDatingEvent, plan: EventPlan, by: Any) -> SpeedDatingEvent:
    """Change an event before it starts: the rotation is built again and, once published,
    everyone gets the new timetable."""
    program = event.program
    ensure_open(program, error=MatchingError)
    event.refresh_from_db()  # published or cancelled meanwhile: the stored status decides
    _editable(event)
    people = invitable(program)
    _validate(plan, people)
    with transaction.atomic(), acting_as(by):
        _apply(event, plan)
        event.full_clean()
        event.save()
        build_rotation(event=event, people=people)
        record(action="speed_dating.changed", instance=event, program_id=program.pk)
        if event.is_published:
            _send_timetables(event, changed=True)
    return event


def _editable(event: SpeedDatingEvent) -> None:
    if event.is_cancelled:
        raise MatchingError(_("Cet événement est annulé."))
    if event.has_started():
        raise MatchingError(_("L’événement a commencé : sa rotation ne change plus."))


def publish_event(*, event: SpeedDatingEvent, by: Any) -> SpeedDatingEvent:
    """Send each invited person their timetable (e-mail with the .ics, in their language)."""
    ensure_open(event.program, error=MatchingError)
    with transaction.atomic(), acting_as(by):
        event = SpeedDatingEvent.objects.select_for_update().get(pk=event.pk)
        if event.is_cancelled:
            raise MatchingError(_("Cet événement est annulé."))
        if event.is_published:
            raise MatchingError(_("Les horaires sont déjà envoyés."))
        if not event.meetings.exists():
            raise MatchingError(
                _("La rotation ne compte aucune rencontre : revoyez les invité·es ou les règles.")
            )
        event.status = SpeedDatingEvent.Status.PUBLISHED
        event.published_at = timezone.now()
        event.save(update_fields=["status", "published_at"])
        record(action="speed_dating.published", instance=event, program_id=event.program_id)
        _send_timetables(event)
    return event


def cancel_event(*, event: SpeedDatingEvent, by: Any) -> SpeedDatingEvent:
    ensure_open(event.program, error=MatchingError)
    with transaction.atomic(), acting_as(by):
        event = SpeedDatingEvent.objects.select_for_update().get(pk=event.pk)
        if event.is_cancelled:
            raise MatchingError(_("Cet événement est déjà annulé."))
        was_published = event.is_published
        event.status = SpeedDatingEvent.Status.CANCELLED
        event.save(update_fields=["status"])
        record(action="speed_dating.cancelled", instance=event, program_id=event.program_id)
        if was_published:
            _send_timetables(event, cancelled=True)
    return event


# --- The rotation -----------------------------------------------------------------------------


def build_rotation(*, event: SpeedDatingEvent, people: Roster | None = None) -> dict[str, Any]:
    """Ask the engine for the best rotation of the invited sides under the program's rules and
    store its meetings; pairs already in a group together are not met again."""
    program = event.program
    data, people = build_instance(program, encoder=get_encoder(), people=people)
    data["mentors"] = [p for p in data["mentors"] if p["id"] in event.mentor_keys]
    data["mentees"] = [p for p in data["mentees"] if p["id"] in event.mentee_keys]
    keep_m = {p["id"] for p in data["mentors"]}
    keep_e = {p["id"] for p in data["mentees"]}
    for key in ("exclusions", "forbidden", "pair_fit"):
        data[key] = [
            x for x in data.get(key, []) if x["mentor"] in keep_m and x["mentee"] in keep_e
        ]
    met = {(x["mentor"], x["mentee"]) for x in data.get("locks", [])}
    data["locks"] = []  # a standing group's pair need not meet again; the rules still hold
    try:
        inst = load_instance(data)
    except InstanceError as exc:
        raise MatchingError(
            _("La rotation n’a pas pu être calculée."), [p.to_dict() for p in exc.problems]
        ) from exc
    tables = len(event.places) or None
    rot = plan(inst, rounds=event.rounds, tables=tables, met=met)
    labels = {p["id"]: p.get("label") or p["id"] for p in data["mentors"] + data["mentees"]}
    fits = {(x["mentor"], x["mentee"]): float(x["score"]) for x in data.get("pair_fit", [])}
    kind = "lexical" if "lexical" in str(data.get("fit_encoder", "")) else "semantic"
    high, low = thresholds(kind)
    event.meetings.all().delete()
    rows = []
    for m in rot.meetings:
        mentor, mentee = inst.mentors[m.mentor].id, inst.mentees[m.mentee].id
        value = fits.get((mentor, mentee), 0.0)
        level = "good" if value >= high else "partly" if value >= low else "little"
        rows.append(
            SpeedDatingMeeting(
                event=event,
                round=m.round,
                table=m.table,
                mentee_key=mentee,
                mentor_key=mentor,
                mentee_label=labels[mentee][:300],
                mentor_label=labels[mentor][:300],
                fit=level,
            )
        )
    SpeedDatingMeeting.objects.bulk_create(rows)
    cert = rot.certificate
    event.rotation = {
        "certificate": {**cert.__dict__},
        "unmet": [inst.mentees[i].id for i in rot.unmet_mentees],
        "tables": tables,
        "engine_version": jumelage.__version__,
    }
    event.save(update_fields=["rotation"])
    return event.rotation


# --- Timetables -------------------------------------------------------------------------------


@dataclass
class Slot:
    round: int
    starts_at: datetime
    ends_at: datetime
    place: str
    with_key: str
    with_label: str
    profile: list[str]
    fit: str


def timetable(
    event: SpeedDatingEvent, key: str, kind: str, *, sides: dict[str, Side] | None = None
) -> list[Slot]:
    """The rounds of one side: when, where, whom, a short profile in words (`sides`: the
    program's sides by key, when the caller already has them)."""
    field_name = "mentee_key" if kind == "mentee" else "mentor_key"
    meetings = event.meetings.filter(**{field_name: key}).order_by("round")
    people = sides if sides is not None else {s.key: s for s in _sides(event.program)}
    out = []
    for m in meetings:
        other = m.mentor_key if kind == "mentee" else m.mentee_key
        label = m.mentor_label if kind == "mentee" else m.mentee_label
        out.append(
            Slot(
                round=m.round + 1,
                starts_at=event.round_start(m.round),
                ends_at=event.round_end(m.round),
                place=event.place(m.table),
                with_key=other,
                with_label=label,
                profile=profile_words(people.get(other)),
                fit=m.fit,
            )
        )
    return out


def _sides(program: Program) -> list[Side]:
    people = roster(program)
    return people.mentors + people.mentees


def profile_words(side: Side | None) -> list[str]:
    """A side in a few words: who, organization, region, track, themes, languages."""
    if side is None:
        return []
    words = []
    if side.is_team:
        words.append(", ".join(side.people))
    if side.organization:
        words.append(side.organization)
    region = side.data.get("region")
    if region:
        territory = Territory.objects.filter(code=f"QC-{region}").first() or (
            Territory.objects.filter(code=region).first()
        )
        words.append(territory.name if territory else region)
    if side.track:
        words.append(side.track.name)
    themes = [t for t in side.data.get("themes", []) if not side.track or t != side.track.name]
    if themes:
        words.append(", ".join(themes[:4]))
    return words


def calendar_for(
    event: SpeedDatingEvent,
    key: str,
    kind: str,
    language: str = "fr",
    *,
    sides: dict[str, Side] | None = None,
) -> bytes:
    """The side's rounds as an iCalendar file (one event per round, stable UIDs)."""
    with translation.override(language):
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("method", "CANCEL" if event.is_cancelled else "PUBLISH")
        link = settings.SITE_URL + reverse("matching:sd_mine", args=[event.program_id, event.pk])
        for slot in timetable(event, key, kind, sides=sides):
            item = CalendarEvent()
            item.add("uid", f"speed-dating-{event.pk}-{key}-{slot.round}@maillage")
            item.add("dtstamp", timezone.now().astimezone(UTC))
            item.add("dtstart", slot.starts_at.astimezone(UTC))
            item.add("dtend", slot.ends_at.astimezone(UTC))
            item.add(
                "summary",
                _("%(event)s — tour %(round)s avec %(name)s")
                % {"event": event.title, "round": slot.round, "name": slot.with_label},
            )
            item.add(
                "description",
                "\n".join([*slot.profile, _("Votre horaire : %(link)s") % {"link": link}]),
            )
            where = slot.place if not event.address else f"{slot.place} — {event.address}"
            if where:
                item.add("location", where)
            item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
            cal.add_component(item)
        return cal.to_ical()


def _send_timetables(
    event: SpeedDatingEvent, *, changed: bool = False, cancelled: bool = False
) -> None:
    """One e-mail per invited person, in their language, with their .ics; sent after commit."""
    program = event.program
    recipients: list[tuple[Person, str, str]] = []
    for kind, keys in (("mentee", event.mentee_keys), ("mentor", event.mentor_keys)):
        for key in keys:
            for person in people_of_side(program, key):
                if person.email:
                    recipients.append((person, key, kind))

    def send() -> None:
        messages = []
        sides = {s.key: s for s in _sides(program)}  # once for every e-mail
        for person, key, kind in recipients:
            language = person.language or "fr"

            def context(key: str = key, kind: str = kind) -> dict[str, Any]:
                return {
                    "event": event,
                    "program": program,
                    "slots": timetable(event, key, kind, sides=sides),
                    "changed": changed,
                    "cancelled": cancelled,
                    "link": settings.SITE_URL
                    + reverse("matching:sd_mine", args=[program.pk, event.pk]),
                }

            message = person_email(
                person, templates="matching/emails/speed_dating", context=context
            )
            message.attach(
                "speed-dating.ics",
                calendar_for(event, key, kind, language, sides=sides),
                "text/calendar; charset=utf-8",
            )
            messages.append(message)
        if messages:
            get_connection().send_messages(messages)

    transaction.on_commit(send)


# --- Rankings ---------------------------------------------------------------------------------


def met_by(event: SpeedDatingEvent, key: str, kind: str) -> list[SpeedDatingMeeting]:
    field_name = "mentee_key" if kind == "mentee" else "mentor_key"
    return list(event.meetings.filter(**{field_name: key}).order_by("round"))


def submit_ranking(
    *, event: SpeedDatingEvent, key: str, kind: str, order: list[str], by: Any
) -> SpeedDatingRanking:
    """Record a side's ranking of the people it met (best first); sending again replaces it."""
    ensure_open(event.program, error=MatchingError)
    if event.is_cancelled:
        raise MatchingError(_("Cet événement est annulé."))
    if not event.is_published or timezone.now() < event.ends_at:
        raise MatchingError(_("Les classements s’ouvrent à la fin de l’événement."))
    if timezone.now() > event.ranking_deadline:
        raise MatchingError(_("La date limite des classements est passée."))
    met = [m.mentor_key if kind == "mentee" else m.mentee_key for m in met_by(event, key, kind)]
    if sorted(order) != sorted(met) or len(set(order)) != len(order):
        raise MatchingError(_("Donnez un rang différent à chaque personne rencontrée."))
    with transaction.atomic(), acting_as(by):
        ranking, created = SpeedDatingRanking.objects.update_or_create(
            event=event,
            side_key=key,
            defaults={
                "side_kind": kind,
                "order": order,
                "submitted_by": _user(by),
                "submitted_at": timezone.now(),
            },
        )
        record(
            action="speed_dating.ranked" if created else "speed_dating.ranking_changed",
            instance=ranking,
            program_id=event.program_id,
        )
    return ranking


def ranking_progress(event: SpeedDatingEvent) -> list[dict[str, Any]]:
    """Who has ranked: every invited side, its kind, its ranking (or None)."""
    rankings = {r.side_key: r for r in event.rankings.select_related("submitted_by")}
    labels = {}
    for m in event.meetings.all():
        labels[m.mentee_key] = m.mentee_label
        labels[m.mentor_key] = m.mentor_label
    out = []
    for kind, keys in (("mentee", event.mentee_keys), ("mentor", event.mentor_keys)):
        for key in keys:
            out.append(
                {
                    "key": key,
                    "kind": kind,
                    "label": labels.get(key, key),
                    "ranking": rankings.get(key),
                    "order": [labels.get(k, k) for k in rankings[key].order]
                    if key in rankings
                    else [],
                }
            )
    return out


# --- Forming the groups -----------------------------------------------------------------------


def form_groups(*, event: SpeedDatingEvent, by: Any) -> MatchRun:
    """Run the stable mode on the event's sides with their rankings (only pairs who met; the
    program's rules hold; scores break ties). The groups are then approved on the matching page
    as any run's. Also measures what the rankings cost against the score-optimal groups (an
    exact run of the engine on the same instance) and checks stability independently."""
    from .services import run_matching

    ensure_open(event.program, error=MatchingError)
    if event.is_cancelled or not event.is_published:
        raise MatchingError(_("Publiez l’événement avant de former les groupes."))
    if not event.rankings.exists():
        raise MatchingError(_("Aucun classement n’a encore été envoyé."))
    with acting_as(by):
        run = run_matching(
            program=event.program, by=by, mode="stable", event=event, background=False
        )
        formation = certify(run)
        event.match_run = run
        rotation = dict(event.rotation)
        rotation["formation"] = formation
        event.rotation = rotation
        event.save(update_fields=["match_run", "rotation"])
        record(action="speed_dating.groups_formed", instance=event, program_id=event.program_id)
    return run


def certify(run: MatchRun) -> dict[str, Any]:
    """The stability certificate (blocking pairs counted by jumelage.check, which does not trust
    the solver) and the cost of the rankings in score against the optimum (exact mode)."""
    inst = load_instance(run.instance)
    problems = check_result(inst, run.result)
    blocking = [p for p in problems if p.code == "blocking_pair"]
    other = [p for p in problems if p.code != "blocking_pair"]
    stable_score = float(run.result.get("certificate", {}).get("objective", 0.0))
    try:
        exact = jumelage.solve(
            load_instance(run.instance),
            mode="exact",
            time_limit=float(getattr(settings, "MATCHING_TIME_LIMIT", 20)),
        )
        optimum = float(exact.certificate.objective)
        exact_matched = sum(len(g.mentees) for g in exact.groups)
        exact_status = exact.certificate.status
    except Exception:  # the comparison is a nicety: a failure never blocks the groups
        logger.exception("exact comparison of run %s failed", run.pk)
        optimum, exact_matched, exact_status = None, None, "failed"
    cost = None
    if optimum is not None and optimum > 0:
        cost = max(0.0, (optimum - stable_score) / optimum)
    return {
        "blocking_pairs": len(blocking),
        "blocking": [p.message for p in blocking][:20],
        "rule_problems": [p.message for p in other][:20],
        "stable_score": round(stable_score, 6),
        "optimal_score": None if optimum is None else round(optimum, 6),
        "exact_status": exact_status,
        "cost": None if cost is None else round(cost, 6),
        "matched": sum(len(g.get("mentees", [])) for g in run.result.get("groups", [])),
        "optimal_matched": exact_matched,
    }


def _user(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def default_start() -> datetime:
    """Next week at 13:30, local time: a reasonable first value for the form."""
    now = timezone.localtime()
    day = (now + timedelta(days=7)).date()
    return timezone.make_aware(datetime(day.year, day.month, day.day, 13, 30))
