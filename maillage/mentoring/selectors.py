"""Reads for the mentoring pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from . import hoursbank
from .access import Viewer
from .models import (
    ActionPlan,
    GroupMember,
    Meeting,
    Need,
    UpdateMessage,
)
from .services import suggestion


def group_rows(groups: QuerySet) -> list[dict[str, Any]]:
    rows = []
    groups = groups.select_related("program", "track").prefetch_related("members__role__person")
    groups = groups.annotate(
        held=Count("meetings", filter=Q(meetings__status=Meeting.Status.HELD), distinct=True),
        last_held=Max("meetings__starts_at", filter=Q(meetings__status=Meeting.Status.HELD)),
    )
    for g in groups:
        members = list(g.members.all())
        rows.append(
            {
                "group": g,
                "mentors": [m.role.person.full_name for m in members if m.side == "mentor"],
                "mentees": [m.role.person.full_name for m in members if m.side == "mentee"],
                "undesignated": [m for m in members if m.side == "mentee" and not m.is_designated],
                "held": g.held,
                "last_held": g.last_held,
                "used": g.hours_used(),
                "remaining": g.hours_remaining(),
                "agreement": g.agreement_complete(),
                "next": g.meetings.planned()
                .filter(starts_at__gte=timezone.now())
                .order_by("starts_at")
                .first(),
            }
        )
    return rows


def agreement_status(v: Viewer) -> dict[str, Any]:
    g = v.group
    current = g.current_agreement()
    acceptances = list(current.acceptances.select_related("person")) if current else []
    mine = next((a for a in acceptances if v.person and a.person_id == v.person.pk), None)
    return {
        "agreement": current,
        "acceptances": acceptances,
        "missing": g.agreement_missing_sides() if current else [],
        "complete": g.agreement_complete(),
        "my_acceptance": mine,
        "older": g.agreements.exclude(pk=current.pk).prefetch_related("acceptances__person")
        if current
        else [],
    }


def plans_of(v: Viewer) -> list[dict[str, Any]]:
    """One entry per mentee: their plan's needs in priority order (for the group page)."""
    out = []
    members = v.group.members.select_related("role__person").filter(side=GroupMember.Side.MENTEE)
    plans = {p.mentee_id: p for p in ActionPlan.objects.filter(group=v.group)}
    for m in members:
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


def group_page(v: Viewer) -> dict[str, Any]:
    g = v.group
    now = timezone.now()
    meetings = list(
        g.meetings.select_related("individual_with__role__person").order_by("starts_at")
    )
    if v.is_mentee:
        meetings = [
            m
            for m in meetings
            if m.kind != Meeting.Kind.INDIVIDUAL or m.individual_with_id == v.member.pk
        ]
    last_update = g.updates.filter(kind=UpdateMessage.Kind.MENTEE_UPDATE).first()
    return {
        "members": list(g.members.select_related("role__person__organization")),
        "agreement_info": agreement_status(v),
        "upcoming": [
            m for m in meetings if m.status == Meeting.Status.PLANNED and m.starts_at >= now
        ],
        "past": [
            m for m in meetings if not (m.status == Meeting.Status.PLANNED and m.starts_at >= now)
        ][::-1],
        "kickoff": next(
            (
                m
                for m in meetings
                if m.kind == Meeting.Kind.KICKOFF and m.status != Meeting.Status.CANCELLED
            ),
            None,
        ),
        "plans": plans_of(v) if v.sees_confidential else None,
        "bank": hoursbank.bank(g),
        "updates": list(g.updates.select_related("author")[:3]) if v.sees_confidential else None,
        "last_update": last_update,
        "now": now,
    }
