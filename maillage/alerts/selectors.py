"""Reads of the follow-up dashboard: one row per group with its hours, meetings and alerts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core import fragments
from maillage.mentoring.models import Group, GroupMember, Meeting
from maillage.mentoring.selectors import bank_minutes
from maillage.programs.models import Program, Role

from . import checks
from .models import SEVERITY_ORDER, Alert, Kind


def _first_url(names: tuple[str, ...], args: list[Any]) -> str | None:
    """The first of these pages that resolves (the group page takes two arguments only)."""
    for name in names:
        for count in (len(args), 2):
            try:
                return reverse(name, args=args[:count])
            except NoReverseMatch:
                continue
    return None


# Where each kind is acted on: the mentoring app's page for the group.
PAGES = {
    # The group's settings page, where the designation form is (its own URL takes POST only).
    Kind.NO_DESIGNATED: (
        "mentoring:group_settings",
        gettext_lazy("Mettre à jour la personne désignée"),
    ),
    Kind.SLOW_START: ("mentoring:kickoff", gettext_lazy("Planifier la rencontre de démarrage")),
    Kind.MEETING_GAP: ("mentoring:meeting_add", gettext_lazy("Planifier une rencontre")),
    Kind.HOURS_PACE: ("mentoring:hours", gettext_lazy("Voir la banque d’heures")),
    Kind.UPDATE_OVERDUE: ("mentoring:updates", gettext_lazy("Écrire un message de suivi")),
    Kind.NEEDS_DRIFT: ("mentoring:group", gettext_lazy("Revoir les plans d’action")),
    Kind.INACTIVE: ("mentoring:group", gettext_lazy("Relancer le groupe")),
}


def action_for(alert: Alert, *, person: Any = None) -> tuple[str, str] | None:
    """(label, path) of the page where someone can act on the alert."""
    if alert.group_id is None:
        return None
    program_pk, group_pk = alert.program_id, alert.group_id
    dashboard = reverse("alerts:dashboard", args=[program_pk]) + f"#groupe-{group_pk}"
    if alert.kind == Kind.INACTIVE and (alert.evidence or {}).get("stage") == "close":
        return str(_("Terminer le groupe")), dashboard
    name, label = PAGES.get(alert.kind, ("mentoring:group", gettext_lazy("Voir le groupe")))
    args: list[Any] = [program_pk, group_pk]
    anchor = ""
    if alert.kind == Kind.NO_DESIGNATED:
        member = (alert.evidence or {}).get("member_id")
        if person is not None and not _coordinates(person, program_pk):
            # Only the coordination may change a designation; the mentee told by e-mail
            # gets their group's page rather than a page that would answer 404.
            name, label = "mentoring:group", gettext_lazy("Voir le groupe")
        elif member is not None:
            anchor = f"#designation-{member}"
    url = _first_url((name, "mentoring:group"), args)
    return str(label), (url + anchor) if url else dashboard


def _coordinates(person: Any, program_pk: int) -> bool:
    return Role.objects.filter(
        program_id=program_pk, person=person, kind=Role.Kind.COORDINATOR
    ).exists()


def sort_alerts(alerts: list[Alert]) -> list[Alert]:
    return sorted(alerts, key=lambda a: (SEVERITY_ORDER.get(a.severity, 9), a.kind, a.pk))


@dataclass
class GroupRow:
    group: Group
    mentors: list[Any]
    mentees: list[GroupMember]
    bank: Decimal
    used: Decimal
    remaining: Decimal
    percent_used: int
    last_meeting: date | None
    next_meeting: Meeting | None
    meetings_held: int
    alerts: list[Alert] = field(default_factory=list)
    can_close: bool = False

    @property
    def actions(self) -> list[tuple[Alert, tuple[str, str] | None]]:
        return [(a, action_for(a)) for a in self.alerts]


# The dashboard's order of the groups (its index and its rows alike).
DASHBOARD_ORDER = ("status", "track__order", "name", "pk")


def dashboard_rows(
    program: Program, *, today: date, ids: list[int] | None = None
) -> list[GroupRow]:
    """One row per group (or per group of `ids`), in a fixed number of queries whatever the
    number of groups (tests/test_page_queries.py)."""
    held = Q(meetings__status=Meeting.Status.HELD, meetings__starts_at__date__lte=today)
    groups = Group.objects.filter(program=program)
    if ids is not None:
        groups = groups.filter(pk__in=ids)
    groups = list(
        groups.select_related("track", "mentor_team")
        .prefetch_related("members__role__person__organization")
        .annotate(
            held_count=Count("meetings", filter=held, distinct=True),
            last_held=Max("meetings__starts_at", filter=held),
        )
        .order_by(*DASHBOARD_ORDER)
    )
    ids = [g.pk for g in groups]
    used_minutes = bank_minutes(ids, until=today)
    upcoming: dict[int, Meeting] = {}
    for meeting in (
        Meeting.objects.filter(
            group_id__in=ids, status=Meeting.Status.PLANNED, starts_at__date__gte=today
        )
        .order_by("starts_at", "id")
        .only("id", "group_id", "starts_at", "status")  # the page shows its time only
    ):
        upcoming.setdefault(meeting.group_id, meeting)
    open_alerts: dict[int, list[Alert]] = {}
    for alert in Alert.objects.filter(
        program=program, group_id__in=ids, resolved_at__isnull=True
    ).select_related("group", "program"):
        open_alerts.setdefault(alert.group_id, []).append(alert)
    rows = []
    for group in groups:
        bank = Decimal(group.hours_bank or 0)
        used = (Decimal(used_minutes.get(group.pk, 0)) / Decimal(60)).quantize(Decimal("0.01"))
        remaining = bank - used
        alerts = sort_alerts(open_alerts.get(group.pk, []))
        rows.append(
            GroupRow(
                group=group,
                mentors=checks.mentor_people(group),
                mentees=[m for m in group.members.all() if m.side == GroupMember.Side.MENTEE],
                bank=bank,
                used=used,
                remaining=remaining,
                percent_used=int(min(100, max(0, round(100 * used / bank)))) if bank else 0,
                last_meeting=checks.local_day(group.last_held),
                next_meeting=upcoming.get(group.pk),
                meetings_held=group.held_count,
                alerts=alerts,
                can_close=group.status == Group.Status.ACTIVE
                and any(
                    a.kind == Kind.INACTIVE and a.evidence.get("stage") == "close" for a in alerts
                ),
            )
        )
    return rows


def dashboard_fragments(program: Program, *, today: date, viewer: str) -> list[fragments.Fragment]:
    """The dashboard's rows, each rendered once per group revision and day (core.fragments):
    one query for the index of the groups and their revisions, and the rows' queries only for
    the rows not in the cache. `viewer`: the reader's class (their roles in the program)."""
    index = (
        Group.objects.filter(program=program)
        .order_by(*DASHBOARD_ORDER)
        .values_list("pk", "content_revision")
    )

    def render(ids: list[int]) -> dict[int, fragments.Fragment]:
        return {
            row.group.pk: fragments.Fragment(
                pk=row.group.pk,
                html=render_to_string("alerts/includes/dashboard_row.html", {"row": row}),
                data={
                    "alerts": len(row.alerts),
                    "can_close": row.can_close,
                    "name": str(row.group),
                },
            )
            for row in dashboard_rows(program, today=today, ids=ids)
        }

    # The day: which meetings are held and which are next is counted from it.
    scope = fragments.scope_of(program.pk, viewer, today.isoformat())
    return fragments.rows("alerts.dashboard", index, scope=scope, render=render)


def program_alerts(program: Program) -> list[Alert]:
    """Alerts not tied to a group (none yet: the kinds are per group), for the page's header."""
    return sort_alerts(list(Alert.objects.filter(program=program, group__isnull=True).open()))
