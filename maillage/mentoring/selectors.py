"""Reads for the mentoring pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from maillage.core import fragments
from maillage.core.models import Person
from maillage.core.tables import Table, local, number, yes_no
from maillage.inclusion.engine_inputs import own_preference_words
from maillage.matching.presentation import pair_factors, principal
from maillage.matching.selectors import PairView
from maillage.programs.models import Program

from . import hoursbank
from .access import Viewer, person_of
from .models import (
    ActionPlan,
    Agreement,
    AgreementAcceptance,
    Group,
    GroupMember,
    GroupMessage,
    Meeting,
    MessageRead,
    Need,
    TimeEntry,
    UpdateMessage,
    missing_sides,
)
from .services import suggestion


def bank_minutes(group_ids: list[int], *, until: date | None = None) -> dict[int, int]:
    """Minutes drawn on each group's hours bank (`Group.bank_entries`), by `until` if given,
    in one query."""
    entries = (
        TimeEntry.objects.all() if until is None else TimeEntry.objects.filter(date__lte=until)
    )
    entries = (
        entries.filter(
            group_id__in=group_ids,
            person__roles__group_memberships__group=F("group"),
            person__roles__group_memberships__side=GroupMember.Side.MENTOR,
        )
        .distinct()
        # No ordering: the model's (by group, hence by program and track) would join three
        # more tables into the DISTINCT for nothing.
        .order_by()
        .values_list("pk", "group_id", "minutes")
    )
    used: dict[int, int] = {}
    for _pk, group_id, minutes in entries:
        used[group_id] = used.get(group_id, 0) + minutes
    return used


def agreements_missing(groups: list[Group]) -> dict[int, list[GroupMember] | None]:
    """Who has yet to accept each group's current agreement (`Group.agreement_missing_sides`),
    None for a group without one, in two queries (the groups' members must be prefetched
    with their roles)."""
    current: dict[int, Agreement] = {}
    for agreement in Agreement.objects.filter(group__in=groups).order_by("group_id", "-version"):
        current.setdefault(agreement.group_id, agreement)
    accepted: dict[int, set[int]] = {a.pk: set() for a in current.values()}
    for agreement_id, person_id in AgreementAcceptance.objects.filter(
        agreement__in=list(current.values())
    ).values_list("agreement_id", "person_id"):
        accepted[agreement_id].add(person_id)
    return {
        g.pk: missing_sides(list(g.members.all()), accepted[current[g.pk].pk])
        if g.pk in current
        else None
        for g in groups
    }


def agreements_complete(groups: list[Group]) -> dict[int, bool]:
    """Whether each group's current agreement is accepted by every side (`agreements_missing`)."""
    return {pk: missing == [] for pk, missing in agreements_missing(groups).items()}


def next_meetings(group_ids: list[int]) -> dict[int, Meeting]:
    """Each group's next planned meeting, in one query."""
    upcoming: dict[int, Meeting] = {}
    for meeting in (
        Meeting.objects.planned()
        .filter(group_id__in=group_ids, starts_at__gte=timezone.now())
        .order_by("starts_at", "id")
        # Every planned meeting of every group is read to keep the first: only what the pages
        # show of it (its time), not its agenda and notes.
        .only("id", "group_id", "starts_at", "status")
    ):
        upcoming.setdefault(meeting.group_id, meeting)
    return upcoming


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"))


def group_rows(groups: QuerySet, *, reader: Person | None = None) -> list[dict[str, Any]]:
    """`reader`: whose unread messages to count (« Mes groupes »). A fixed number of queries
    whatever the number of groups (tests/test_page_queries.py)."""
    rows = []
    groups = groups.select_related("program", "track").prefetch_related("members__role__person")
    groups = groups.annotate(
        held=Count("meetings", filter=Q(meetings__status=Meeting.Status.HELD), distinct=True),
        last_held=Max("meetings__starts_at", filter=Q(meetings__status=Meeting.Status.HELD)),
    )
    groups = list(groups)
    ids = [g.pk for g in groups]
    unread = unread_counts(reader, ids)
    used = bank_minutes(ids)
    complete = agreements_complete(groups)
    upcoming = next_meetings(ids)
    for g in groups:
        members = list(g.members.all())
        hours_used = _hours(used.get(g.pk, 0))
        rows.append(
            {
                "group": g,
                "mentors": [m.role.person.full_name for m in members if m.side == "mentor"],
                "mentees": [m.role.person.full_name for m in members if m.side == "mentee"],
                "undesignated": [m for m in members if m.side == "mentee" and not m.is_designated],
                "held": g.held,
                "last_held": g.last_held,
                "used": hours_used,
                "remaining": Decimal(g.hours_bank or 0) - hours_used,
                "agreement": complete[g.pk],
                "unread": unread.get(g.pk, 0),
                "next": upcoming.get(g.pk),
            }
        )
    return rows


def group_row_fragments(groups: QuerySet, *, viewer: str) -> list[fragments.Fragment]:
    """The groups list's rows (`group_rows` without a reader), each rendered once per group
    revision and kept until its next meeting starts (core.fragments): one query for the index,
    the rows' queries only for the rows not in the cache. `viewer`: the reader's class."""
    index = groups.values_list("pk", "content_revision")

    def render(ids: list[int]) -> dict[int, fragments.Fragment]:
        made = {}
        for r in group_rows(Group.objects.filter(pk__in=ids)):
            html = render_to_string(
                "mentoring/includes/group_table_row.html", {"r": r, "show_program": False}
            )
            expires = r["next"].starts_at if r["next"] else None
            made[r["group"].pk] = fragments.Fragment(pk=r["group"].pk, html=html, expires=expires)
        return made

    # The next meeting is the first one still to come: past its start the row says another.
    scope = fragments.scope_of(viewer)
    return fragments.rows("mentoring.groups", index, scope=scope, render=render)


def agreement_status(v: Viewer, members: list[GroupMember] | None = None) -> dict[str, Any]:
    """The current agreement, who accepted it and who is missing, in three queries: the
    group's `members` may come from the caller's page, which lists them anyway."""
    g = v.group
    current = g.current_agreement()
    acceptances = list(current.acceptances.select_related("person")) if current else []
    mine = next((a for a in acceptances if v.person and a.person_id == v.person.pk), None)
    if members is None:
        members = list(g.members.select_related("role__person"))
    missing = missing_sides(members, {a.person_id for a in acceptances}) if current else []
    return {
        "agreement": current,
        "acceptances": acceptances,
        "missing": missing,
        "complete": current is not None and not missing,
        "my_acceptance": mine,
        "older": g.agreements.exclude(pk=current.pk).prefetch_related("acceptances__person")
        if current
        else [],
    }


def plans_of(v: Viewer, members: list[GroupMember] | None = None) -> list[dict[str, Any]]:
    """One entry per mentee: their plan's needs in priority order (for the group page)."""
    if members is None:
        members = list(v.group.members.select_related("role__person"))
    plans = {
        p.mentee_id: p for p in ActionPlan.objects.filter(group=v.group).prefetch_related("needs")
    }
    out = []
    for m in members:
        if m.side != GroupMember.Side.MENTEE:
            continue
        plan = plans.get(m.pk)
        needs = list(plan.needs.all()) if plan else []
        out.append(
            {
                "member": m,
                "plan": plan,
                "needs": needs,
                "open": sum(1 for n in needs if n.status == Need.Status.OPEN),
            }
        )
    return out


def need_rows(needs: list[Need]) -> list[dict[str, Any]]:
    return [{"need": n, "suggestion": suggestion(n.fit, n.fit_encoder)} for n in needs]


def plan_page(plan: ActionPlan) -> dict[str, Any]:
    return {
        "plan": plan,
        "needs": need_rows(list(plan.needs.select_related("decided_by"))),
        "objectives": list(plan.objectives.prefetch_related("steps")),
    }


def updates_page(v: Viewer) -> dict[str, Any]:
    items = list(
        v.group.updates.select_related("author", "next_meeting").prefetch_related(
            "replies__person", "needs_addressed", "needs_changed"
        )
    )
    return {
        "updates": items,
        "every": (v.program.update_every_min_days, v.program.update_every_max_days),
    }


def visible_meetings(v: Viewer) -> list[Meeting]:
    """The group's meetings in date order; a mentee does not see another mentee's individual
    meetings."""
    meetings = list(
        v.group.meetings.select_related("individual_with__role__person").order_by("starts_at")
    )
    if v.is_mentee:
        meetings = [
            m
            for m in meetings
            if m.kind != Meeting.Kind.INDIVIDUAL or m.individual_with_id == v.member.pk
        ]
    return meetings


def split_meetings(meetings: list[Meeting], now: Any) -> tuple[list[Meeting], list[Meeting]]:
    """Upcoming (soonest first), then past and cancelled (latest first), as the page lists them."""
    upcoming = [m for m in meetings if m.status == Meeting.Status.PLANNED and m.starts_at >= now]
    past = [m for m in meetings if not (m.status == Meeting.Status.PLANNED and m.starts_at >= now)]
    return upcoming, past[::-1]


def group_page(v: Viewer) -> dict[str, Any]:
    g = v.group
    now = timezone.now()
    meetings = visible_meetings(v)
    upcoming, past = split_meetings(meetings, now)
    last_update = g.updates.filter(kind=UpdateMessage.Kind.MENTEE_UPDATE).first()
    members = list(g.members.select_related("role__person__organization"))
    return {
        "members": members,
        "agreement_info": agreement_status(v, members),
        "upcoming": upcoming,
        "past": past,
        "kickoff": next(
            (
                m
                for m in meetings
                if m.kind == Meeting.Kind.KICKOFF and m.status != Meeting.Status.CANCELLED
            ),
            None,
        ),
        "plans": plans_of(v, members) if v.sees_confidential else None,
        "bank": hoursbank.bank(g),
        "updates": list(g.updates.select_related("author")[:3]) if v.sees_confidential else None,
        "last_update": last_update,
        "now": now,
    }


def group_page_body(v: Viewer) -> Any:
    """The group page's body (members, agreement, plans, meetings, hours, follow-up), rendered
    once per group revision and reader, and kept until its next meeting starts (core.fragments).

    What the body shows depends on who reads it: the coordination's kickoff panel, the plans
    and follow-up messages (the confidential parts: an observer only if the group agreed), a
    mentee's own individual meetings and not another's, a member's own acceptance. So the key
    holds the reader's roles in the program and, for a member, their membership: a body is
    never served to a reader of another class, nor one member's to another. The body carries
    no form (no CSRF token): the page's forms stay on the pages that take them."""
    g, program = v.group, v.program
    today = timezone.localdate()
    scope = fragments.scope_of(
        "group-body",
        program.pk,
        program.status,
        program.updated_at.isoformat() if program.updated_at else "",
        today.isoformat(),  # the hours bank's projection and chart count from today
        ",".join(sorted(v.roles)),
        v.member.pk if v.member is not None else "-",
        g.observer_allowed,
    )

    def render() -> fragments.Fragment:
        context = group_page(v)
        html = render_to_string(
            "mentoring/includes/group_body.html",
            {"program": program, "group": g, "viewer": v, **context},
        )
        # Past its next meeting's start, the body lists that meeting elsewhere (« à consigner »).
        expires = context["upcoming"][0].starts_at if context["upcoming"] else None
        return fragments.Fragment(pk=g.pk, html=html, expires=expires)

    return fragments.one(
        "mentoring.group", g.pk, g.content_revision, scope=scope, render=render
    ).html


def time_entries(v: Viewer) -> list[tuple[TimeEntry, bool]]:
    """The group's time entries, latest first, each with whether it draws on the bank (the
    mentor side's time does; a mentee's is noted for the report)."""
    entries = v.group.time_entries.select_related("person", "meeting").order_by("-date", "-id")
    mentor_side = set(
        v.group.members.filter(side=GroupMember.Side.MENTOR).values_list(
            "role__person_id", flat=True
        )
    )
    return [(e, e.person_id in mentor_side) for e in entries]


# --- Tables as files (the same rows as the pages, for `table_download`) ----------------------


def group_table(rows: list[dict[str, Any]], *, show_program: bool = False) -> Table:
    """The groups list as `group_rows` gives it to the page."""
    headers = [
        _("Groupe"),
        *([_("Programme")] if show_program else []),
        _("Côté mentor"),
        _("Personnes mentorées"),
        _("Entente"),
        _("Rencontres tenues"),
        _("Prochaine rencontre"),
        _("Heures utilisées"),
        _("Heures restantes"),
    ]
    out = []
    for r in rows:
        g = r["group"]
        name = str(g) if g.status != g.Status.CLOSED else f"{g} ({_('Terminé')})"
        mentees = ", ".join(r["mentees"])
        for m in r["undesignated"]:
            mentees += "; " + _("Personne désignée à confirmer : %(name)s") % {
                "name": m.role.person.full_name
            }
        out.append(
            [
                name,
                *([str(g.program)] if show_program else []),
                ", ".join(r["mentors"]),
                mentees,
                _("Acceptée") if r["agreement"] else _("À accepter"),
                r["held"],
                local(r["next"].starts_at) if r["next"] else "",
                number(r["used"]),
                number(r["remaining"]),
            ]
        )
    return headers, out


def meeting_table(v: Viewer) -> Table:
    """The meetings of the group page, upcoming then past, as this viewer sees them."""
    now = timezone.now()
    upcoming, past = split_meetings(visible_meetings(v), now)
    rows = []
    for m in upcoming + past:
        kind = m.get_kind_display()
        if m.individual_with:
            kind += f" ({m.individual_with.role.person.full_name})"
        status = m.get_status_display()
        if m.status == Meeting.Status.PLANNED and m.starts_at < now:
            status += f" ({_('à consigner')})"
        rows.append([local(m.starts_at), kind, m.get_mode_display(), status])
    return [_("Date"), _("Type"), _("Format"), _("Statut")], rows


def time_table(v: Viewer) -> Table:
    headers = [
        _("Date"),
        _("Personne"),
        _("Type"),
        _("Heures"),
        _("Compte dans la banque"),
        _("Précision"),
    ]
    rows = [
        [
            e.date.isoformat(),
            e.person.full_name,
            e.get_kind_display(),
            number(e.hours),
            yes_no(counts),
            e.note,
        ]
        for e, counts in time_entries(v)
    ]
    return headers, rows


def _expertise(row: dict[str, Any], *, scores: bool) -> str:
    """The need's « Expertise du côté mentor » cell as text: people's decision, then the
    suggestion, and its score for the coordination only (participants read words)."""
    need, parts = row["need"], []
    if need.inside_expertise is not None:
        who = need.decided_by.full_name if need.decided_by else ""
        decision = _("dans l’expertise") if need.inside_expertise else _("hors expertise")
        parts.append(f"{decision} — " + _("décidé par %(who)s") % {"who": who})
    if row["suggestion"]:
        label = {
            "inside": _("dans l’expertise (suggestion)"),
            "outside": _("hors expertise (suggestion)"),
        }.get(row["suggestion"], _("à discuter (suggestion)"))
        if scores:
            label = f"{label} — " + _("score %(s)s") % {"s": number_format(need.fit, 2)}
        parts.append(label)
    elif need.inside_expertise is None:
        parts.append(_("pas de suggestion (expertise du côté mentor non renseignée)"))
    return "; ".join(parts)


def need_table(plan: ActionPlan | None, *, scores: bool = False) -> Table:
    """A mentee's needs in priority order, as the action plan page lists them to this reader:
    with the fit score for the coordination (`scores`), in words only for participants."""
    needs = need_rows(list(plan.needs.select_related("decided_by"))) if plan else []
    headers = ["#", _("Besoin"), _("Expertise du côté mentor"), _("Statut")]
    rows = [
        [index, row["need"].text, _expertise(row, scores=scores), row["need"].get_status_display()]
        for index, row in enumerate(needs, start=1)
    ]
    return headers, rows


# --- « Mon groupe »: why this matching, for the people it decided about (Law 25) -----------


@dataclass
class MyGroup:
    group: Group
    mentors: list[str]
    mentees: list[str]
    pairs: list[PairView]
    shared_themes: list[str]
    approved_at: Any
    engine_version: str


def _mentee_sides(
    inputs: dict[str, Any], names: dict[str, str]
) -> dict[str, tuple[str, list[str]]]:
    """The mentee sides the approval decided about, by engine id: (name, members' role keys). A
    mentee team ("T3") is one side of several people, named « Ville de Rimouski (Anne, Luc) »;
    anyone else is their own side ("R45")."""
    sides: dict[str, tuple[str, list[str]]] = {key: (name, [key]) for key, name in names.items()}
    for side in inputs.get("mentees", []):
        members = [k for k in side.get("members") or [] if k in names]
        if members:
            people = ", ".join(names[k] for k in members)
            sides[side["id"]] = (f"{side.get('label') or side['id']} ({people})", members)
    return sides


def my_groups(program: Program, user: Any) -> list[MyGroup]:
    """The user's active groups with the principal factors of the decision about them: a mentee
    sees only their own pair; a mentor side sees its pairs (each is a decision about it)."""
    mine = set(program.roles.of_user(user).values_list("pk", flat=True))
    viewer = person_of(user)
    out = []
    for group in (
        Group.objects.active()
        .filter(program=program, members__role__in=mine)
        .distinct()
        .select_related("created_from__approval", "track")
        .prefetch_related("members__role__person")
    ):
        members = list(group.members.all())
        is_mentor = any(m.role_id in mine and m.side == GroupMember.Side.MENTOR for m in members)
        approval = getattr(group.created_from, "approval", None) if group.created_from else None
        factors = approval.factors if approval else {}
        inputs = approval.inputs if approval else {}
        weights = inputs.get("weights", {})
        encoder = approval.run.fit_encoder if approval else ""
        fit_kind = "lexical" if "lexical" in encoder else "semantic"
        names = {f"R{m.role_id}": m.role.person.full_name for m in members}
        sides = _mentee_sides(inputs, names)
        mentees = {f"R{m.role_id}" for m in members if m.side == GroupMember.Side.MENTEE}
        own = {f"R{pk}" for pk in mine}
        # A mentee sees their own side's pair (their team's, for a member of a mentee team).
        visible = {
            key
            for key, (_name, roles) in sides.items()
            if set(roles) & mentees and (is_mentor or set(roles) & own)
        }
        pairs = []
        mentor_data = next(iter(inputs.get("mentors", [])), {})
        mentee_data = {p["id"]: p for p in inputs.get("mentees", [])}
        for pair in factors.get("explanation", {}).get("pairs", []):
            if pair["mentee"] in visible:
                found = pair_factors(pair, weights, fit_kind=fit_kind)
                # The viewer's own declared wishes, named (they wrote them); never the other
                # side's (see inclusion.engine_inputs).
                other = mentee_data.get(pair["mentee"], {})
                wishes = (
                    own_preference_words(
                        mentor_data.get("preferences") or {},
                        other.get("attributes") or {},
                        mentee=False,
                        person=viewer,
                    )
                    if is_mentor
                    else own_preference_words(
                        other.get("preferences") or {},
                        mentor_data.get("attributes") or {},
                        mentee=True,
                        person=viewer,
                    )
                )
                pairs.append(
                    PairView(
                        key=pair["mentee"],
                        label=sides.get(pair["mentee"], ("", []))[0],
                        organization="",
                        region="",
                        factors=found,
                        total=float(pair.get("total", 0.0)),
                        locked=False,
                        principal=principal(found),
                        preferences=wishes,
                    )
                )
        out.append(
            MyGroup(
                group=group,
                mentors=[
                    m.role.person.full_name for m in members if m.side == GroupMember.Side.MENTOR
                ],
                mentees=[
                    m.role.person.full_name for m in members if m.side == GroupMember.Side.MENTEE
                ],
                pairs=pairs,
                shared_themes=factors.get("explanation", {})
                .get("shared_themes", {})
                .get("themes", []),
                approved_at=group.approved_at,
                engine_version=approval.engine_version if approval else "",
            )
        )
    return out


def my_group_table(program: Program, user: Any) -> Table:
    """The factors of the decisions about the user, one row per pair and criterion: a mentee
    gets their own pair only, a mentor side each of its pairs (as on « Mon groupe »)."""
    headers = [
        _("Groupe"),
        _("Côté mentor"),
        _("Personne mentorée"),
        _("Critère"),
        _("Valeur (%)"),
        _("Contribution"),
        _("Poids"),
    ]
    rows = [
        [
            g.group.name,
            ", ".join(g.mentors),
            p.label,
            f.label,
            f.percent,
            number(f.contribution),
            number(f.weight),
        ]
        for g in my_groups(program, user)
        for p in g.pairs
        for f in p.factors
    ]
    return headers, rows


# --- Messages --------------------------------------------------------------------------------

THREAD_PAGE = 50


def unread_counts(person: Person | None, group_ids: list[int]) -> dict[int, int]:
    """For each of the groups, how many of others' messages the person has not read."""
    if person is None or not group_ids:
        return {}
    counts: dict[int, int] = {}
    unread = GroupMessage.objects.filter(group_id__in=group_ids).unread_by(person)
    for group_id in unread.values_list("group_id", flat=True):
        counts[group_id] = counts.get(group_id, 0) + 1
    return counts


@dataclass
class Thread:
    messages: list[GroupMessage]
    older: int | None  # the `avant` of the page of older messages, if there are some
    first_unread: int | None  # where « Nouveaux messages » goes
    last_id: int


def thread(group: Group, person: Person | None, *, before: int | None = None) -> Thread:
    """The newest page of the thread (or the page before message `before`), oldest first, as
    messaging apps show it: the newest at the bottom, beside the box to answer."""
    messages = group.messages.select_related("author", "hidden_by").order_by("-pk")
    if before:
        messages = messages.filter(pk__lt=before)
    page = list(messages[: THREAD_PAGE + 1])
    older = page[THREAD_PAGE - 1].pk if len(page) > THREAD_PAGE else None
    page = list(reversed(page[:THREAD_PAGE]))
    sides = {
        person_id: label
        for person_id, label in (
            (m.role.person_id, m.get_side_display()) for m in group.members.select_related("role")
        )
    }
    for m in page:
        # Who wrote, in words: a side of the group, or the program's coordination.
        m.who = sides.get(m.author_id) or (_("Coordination") if m.author_id else "")
        m.mine = person is not None and m.author_id == person.pk
        m.editable = m.can_edit(person)
    marker = (
        MessageRead.objects.filter(group=group, person=person)
        .values_list("last_read_id", flat=True)
        .first()
        if person
        else None
    )
    first_unread = next(
        (
            m.pk
            for m in page
            if m.pk > (marker or 0)
            and m.author_id != getattr(person, "pk", None)
            and not m.is_removed
        ),
        None,
    )
    return Thread(
        messages=page,
        older=older,
        first_unread=first_unread,
        last_id=page[-1].pk if page else 0,
    )
