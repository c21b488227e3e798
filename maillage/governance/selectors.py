"""Reads of a network's governance that span several models."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, QuerySet

from maillage.measurement.models import Network, NetworkRole

from .models import Decision, Disagreement, Idea


def follow_ups(network: Network, *, status: str | None = "open") -> QuerySet[Decision]:
    """Decisions of every instance of the network, the earliest due first (none last)."""
    decisions = Decision.objects.filter(meeting__instance__version__network=network)
    if status:
        decisions = decisions.filter(status=status)
    return decisions.select_related("meeting__instance__version").order_by(
        "-status", F("due_on").asc(nulls_last=True), "meeting__held_on", "pk"
    )


def ideas_of(network: Network) -> QuerySet[Idea]:
    return (
        network.ideas.select_related("proposed_by", "team")
        .prefetch_related("members")
        .annotate(people=Count("members"))
    )


def disagreements_seen_by(user: Any, network: Network, *, staff: bool) -> QuerySet[Disagreement]:
    """All of them for staff; for a member, those they raised and those raised with the member
    organization they coordinate (the parties)."""
    seen = network.disagreements.select_related("raised_by", "with_member__organization")
    if staff:
        return seen
    mine = NetworkRole.objects.filter(
        network=network, person__user=user, kind=NetworkRole.Kind.MEMBER
    ).values("member")
    return seen.filter(Q(raised_by__user=user) | Q(with_member__in=mine))
