"""Reads of mutualized resources: what a page lists, and proposals explained in words (never a
number: the engine's score orders them, the words say why)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from maillage.core.models import Territory
from maillage.measurement.models import Network

from .models import CATEGORY_CHOICES, Agreement, Proposal, Resource, Unit

CRITERIA = ("category", "distance", "period", "capacity")


def _names(codes: set[str]) -> dict[str, str]:
    return {t.code: t.name for t in Territory.objects.filter(code__in=codes)}


def _quantity(value: Any) -> str:
    from django.utils.formats import number_format

    if value is None:
        return ""
    value = float(value)
    return number_format(value, decimal_pos=0 if value.is_integer() else 1, use_l10n=True)


def sentence(name: str, criterion: dict[str, Any], places: dict[str, str]) -> str:
    """One criterion of a proposal, in words."""
    code, params = criterion.get("code", ""), criterion.get("params", {})
    categories = dict(CATEGORY_CHOICES)
    if name == "category":
        wanted = str(categories.get(params.get("category"), params.get("category")))
        offered = str(categories.get(params.get("offered"), params.get("offered")))
        if code == "same_category":
            return _("Même catégorie : %(category)s.") % {"category": wanted.lower()}
        return _("Catégorie voisine : « %(offered)s » pour un besoin de « %(wanted)s ».") % {
            "offered": offered.lower(),
            "wanted": wanted.lower(),
        }
    if name == "distance":
        where = {
            "mrc": places.get(params.get("mrc") or "", ""),
            "region": places.get(params.get("region") or "", _("territoire non précisé")),
        }
        return {
            "same_mrc": _("Dans la même MRC (%(mrc)s)."),
            "same_region": _("Dans la même région (%(region)s), dans une autre MRC."),
            "neighbour_region": _("Dans une région voisine (%(region)s)."),
            "far": _(
                "Plus loin (%(region)s) : l’une des deux organisations accepte de se déplacer."
            ),
        }[code] % where
    if name == "period":
        share = float(params.get("share", 0))
        if code == "whole_period":
            return _("Disponible pendant toute la période demandée.")
        if share >= 0.66:
            return _("Disponible pendant la plus grande partie de la période demandée.")
        return _("Disponible pendant une partie seulement de la période demandée.")
    units = dict(Unit.choices)
    numbers = {
        "offered": _quantity(params.get("offered")),
        "needed": _quantity(params.get("needed")),
        "unit": str(units.get(params.get("unit"), params.get("unit") or "")),
    }
    if code == "enough_quantity":
        return (
            _("Quantité suffisante : %(offered)s %(unit)s offerts pour %(needed)s demandés.")
            % numbers
        )
    if code == "part_of_quantity":
        return (
            _(
                "Couvre une partie de la quantité : %(offered)s %(unit)s offerts sur %(needed)s demandés."
            )
            % numbers
        )
    return _("Quantités à préciser entre vous (non indiquées ou dans des unités différentes).")


def strength(score: float) -> str:
    """The proposal's strength in words."""
    if score >= 0.85:
        return _("Très bon jumelage")
    if score >= 0.65:
        return _("Bon jumelage")
    return _("Jumelage possible")


@dataclass
class Explained:
    proposal: Proposal
    strength: str
    reasons: list[str]
    mine: str  # "offer", "need" or "" (staff looking on)


def explained(proposals: list[Proposal], my_member_ids: set[int]) -> list[Explained]:
    codes: set[str] = set()
    for p in proposals:
        params = p.criteria.get("distance", {}).get("params", {})
        codes |= {params.get("mrc") or "", params.get("region") or ""}
    places = _names(codes - {""})
    out = []
    for p in proposals:
        reasons = [sentence(n, p.criteria[n], places) for n in CRITERIA if n in p.criteria]
        mine = (
            "offer"
            if p.offer.member_id in my_member_ids
            else ("need" if p.need.member_id in my_member_ids else "")
        )
        out.append(Explained(p, strength(p.score), reasons, mine))
    return out


def proposals_for(
    network: Network, *, member_ids: set[int] | None, resource: Resource | None = None
) -> list[Proposal]:
    """Open proposals touching these members (None: all, for staff), best first."""
    qs = Proposal.objects.filter(network=network, status=Proposal.Status.PROPOSED).select_related(
        "offer__member__organization", "need__member__organization"
    )
    if member_ids is not None:
        qs = qs.filter(Q(offer__member_id__in=member_ids) | Q(need__member_id__in=member_ids))
    if resource is not None:
        qs = qs.filter(Q(offer=resource) | Q(need=resource))
    return list(qs.order_by("-score", "pk"))


def listed_resources(network: Network, *, direction: str, kind: str = "") -> QuerySet[Resource]:
    """What members see: published offers or needs (paused and closed ones stay with their
    organization)."""
    running = Agreement.objects.filter(
        need=OuterRef("pk"), status__in=(Agreement.Status.DRAFT, Agreement.Status.SIGNED)
    )
    qs = (
        Resource.objects.filter(network=network, direction=direction)
        .open()
        .select_related("member__organization", "territory")
        .annotate(in_agreement=Exists(running))
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("kind", "category", "-created_at")


def own_resources(network: Network, member_ids: set[int]) -> QuerySet[Resource]:
    return (
        Resource.objects.filter(network=network, member_id__in=member_ids)
        .select_related("member__organization")
        .order_by("status", "-created_at")
    )


def agreements_for(network: Network, *, member_ids: set[int] | None) -> QuerySet[Agreement]:
    qs = Agreement.objects.filter(network=network).select_related(
        "lender__organization", "borrower__organization"
    )
    if member_ids is not None:
        qs = qs.filter(Q(lender_id__in=member_ids) | Q(borrower_id__in=member_ids))
    return qs.order_by("status", "-created_at")


def waiting_signature(agreement: Agreement, member_ids: set[int]) -> bool:
    """Whether one of these members still has to sign."""
    if agreement.status != Agreement.Status.DRAFT:
        return False
    return any(
        getattr(agreement, f"{side}_signed_at") is None for side in agreement.side_of(member_ids)
    )
