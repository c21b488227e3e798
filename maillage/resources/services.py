"""Writes of mutualized resources: offers and needs, the engine's proposals, usage agreements
signed by both sides, their uses, and the figures they give the network's shared measurement."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jumelage.resources import Item, match_resources
from maillage.core.audit import acting_as, record, record_bulk
from maillage.core.locking import StaleEdit, locked, save_versioned
from maillage.core.models import Person
from maillage.measurement import services as measurement
from maillage.measurement.models import (
    Indicator,
    Measurement,
    Network,
    NetworkMember,
    NetworkRole,
)

from .errors import ResourceError
from .models import (
    KIND_OF_CATEGORY,
    Agreement,
    IndicatorFeed,
    Proposal,
    Resource,
    Use,
    month_of,
)

DATA = Path(__file__).resolve().parent / "data"
RESOURCE_FIELDS = (
    "category",
    "title",
    "description",
    "quantity",
    "unit",
    "capacity",
    "available_from",
    "available_until",
    "days",
    "cost",
    "insurance_required",
    "operator_included",
    "conditions",
    "territory",
    "reach",
)
AGREEMENT_TERMS = (
    "title",
    "quantity",
    "unit",
    "starts_on",
    "ends_on",
    "schedule",
    "cost",
    "insurance",
    "operator",
    "responsibilities",
    "conditions",
    "lender_contact",
    "borrower_contact",
)


@cache
def region_neighbours() -> dict[str, list[str]]:
    return json.loads((DATA / "region_neighbours.json").read_text(encoding="utf-8"))["neighbours"]


def is_staff(person: Person, network: Network) -> bool:
    return NetworkRole.objects.filter(
        network=network, person=person, kind=NetworkRole.Kind.STAFF
    ).exists()


def coordinates(person: Person, member: NetworkMember) -> bool:
    return NetworkRole.objects.filter(
        member=member, person=person, kind=NetworkRole.Kind.MEMBER
    ).exists()


def _check_for(person: Person, member: NetworkMember) -> None:
    """A resource is posted or changed by its organization's coordinator or by staff."""
    user = person.user
    if user is not None and user.is_superuser:
        return
    if not (coordinates(person, member) or is_staff(person, member.network)):
        raise ResourceError(
            _("Seule la coordination de cette organisation (ou l’équipe du réseau) peut le faire.")
        )


def _clean_resource(resource: Resource) -> None:
    kind = KIND_OF_CATEGORY.get(resource.category)
    if kind is None:
        raise ResourceError(_("Choisissez une catégorie de la liste."), "category")
    resource.kind = kind
    if resource.quantity is not None and resource.quantity <= 0:
        raise ResourceError(_("La quantité doit être plus grande que zéro."), "quantity")
    if resource.quantity is not None and not resource.unit:
        raise ResourceError(_("Précisez l’unité de la quantité."), "unit")
    if (
        resource.available_from
        and resource.available_until
        and resource.available_until < resource.available_from
    ):
        raise ResourceError(_("La fin de la période doit suivre son début."), "available_until")
    if resource.direction == Resource.Direction.NEED:
        resource.capacity = 1
    elif resource.capacity < 1:
        raise ResourceError(_("Au moins une organisation doit pouvoir l’utiliser."), "capacity")
    ResourceError.check(resource, exclude=["created_by", "contact", "member", "network"])


@transaction.atomic
def post_resource(
    *,
    network: Network,
    member: NetworkMember,
    direction: str,
    by: Person,
    **fields: Any,
) -> Resource:
    """Publish an offer or a need of `member`; `by` is its contact and must coordinate it (or be
    staff). The proposals of the network are computed again at once."""
    if member.network_id != network.pk:
        raise ResourceError(_("Cette organisation n’est pas membre du réseau."), "member")
    _check_for(by, member)
    unknown = set(fields) - set(RESOURCE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    resource = Resource(
        network=network,
        member=member,
        direction=direction,
        contact=by,
        created_by=by.user,
        **fields,
    )
    if resource.territory_id is None:
        resource.territory = member.organization.territory
    _clean_resource(resource)
    with acting_as(by.user):
        resource.save()
        record(action=f"resource.{direction}_posted", instance=resource)
    refresh_proposals(network=network)
    return resource


@transaction.atomic
def update_resource(
    *, resource: Resource, by: Person, revision: int | None = None, **fields: Any
) -> Resource:
    """Change an offer or need; `revision` as the edit form was rendered (a stale save raises
    `StaleEdit` and overwrites nothing)."""
    _check_for(by, resource.member)
    for name, value in fields.items():
        if name not in RESOURCE_FIELDS:
            raise TypeError(f"unknown field: {name}")
        setattr(resource, name, value)
    if resource.territory_id is None:
        resource.territory = resource.member.organization.territory
    _clean_resource(resource)
    with acting_as(by.user):
        save_versioned(resource, seen=revision)
    refresh_proposals(network=resource.network)
    return resource


@transaction.atomic
def set_resource_status(*, resource: Resource, status: str, by: Person) -> Resource:
    """Pause, reopen or close. A closed resource stays in the agreements that name it; it is no
    longer proposed."""
    _check_for(by, resource.member)
    if status not in Resource.Status.values:
        raise ResourceError(_("État inconnu."))
    current = locked(resource)
    if current.status == status:
        return current
    if current.status == Resource.Status.CLOSED:
        raise ResourceError(_("Une ressource fermée ne se rouvre pas : publiez-en une nouvelle."))
    with acting_as(by.user):
        current.status = status
        current.save(update_fields=["status", "updated_at"])
        record(action=f"resource.{status}", instance=current)
    refresh_proposals(network=resource.network)
    return current


ACTIVE = (Agreement.Status.DRAFT, Agreement.Status.SIGNED)


def _item(resource: Resource, capacity: int = 1) -> Item:
    place = resource.place()
    region = place.region() if place is not None else None
    mrc = place.code if place is not None and place.mrc() is not None else None
    return Item(
        id=str(resource.pk),
        owner=str(resource.member.organization_id),
        kind=resource.kind,
        category=resource.category,
        quantity=float(resource.quantity) if resource.quantity is not None else None,
        unit=resource.unit,
        start=resource.available_from,
        end=resource.available_until,
        days=tuple(resource.days or ()),
        region=region.code if region is not None else None,
        mrc=mrc,
        reach=resource.reach,
        capacity=capacity,
        label=resource.title,
    )


def matching_inputs(network: Network) -> tuple[list[Item], list[Item], set[tuple[str, str]]]:
    """What the engine reads: open offers with the room their running agreements leave, open
    needs that no running agreement meets yet, and the pairs never to propose again."""
    today = timezone.localdate()
    base = (
        Resource.objects.filter(network=network)
        .open()
        .select_related("member__organization__territory__parent", "territory__parent")
    )
    running = Q(lent_in__status=Agreement.Status.DRAFT) | Q(
        lent_in__status=Agreement.Status.SIGNED, lent_in__ends_on__gte=today
    )
    offers = []
    for offer in base.offers().annotate(busy=Count("lent_in", filter=running, distinct=True)):
        room = offer.capacity - offer.busy
        if room > 0:
            offers.append(_item(offer, room))
    needs = [_item(need) for need in base.needs().exclude(met_in__status__in=ACTIVE).distinct()]
    forbidden = {
        (str(o), str(n))
        for o, n in Proposal.objects.filter(network=network)
        .exclude(status=Proposal.Status.PROPOSED)
        .values_list("offer_id", "need_id")
    }
    return offers, needs, forbidden


@transaction.atomic
def refresh_proposals(*, network: Network) -> list[Proposal]:
    """Run the engine over the network's open offers and needs; the pairs it chooses replace
    the previous proposals (declined and agreed ones are kept, and never proposed again)."""
    offers, needs, forbidden = matching_inputs(network)
    result = match_resources(offers, needs, neighbours=region_neighbours(), forbidden=forbidden)
    chosen = {(int(m.offer), int(m.need)): m for m in result.matches}
    stale = Proposal.objects.filter(network=network, status=Proposal.Status.PROPOSED)
    gone = [p.pk for p in stale if (p.offer_id, p.need_id) not in chosen]
    Proposal.objects.filter(pk__in=gone).delete()
    kept = []
    for (offer_id, need_id), match in chosen.items():
        proposal, _created = Proposal.objects.update_or_create(
            offer_id=offer_id,
            need_id=need_id,
            defaults={"network": network, "score": match.score, "criteria": match.criteria},
        )
        kept.append(proposal)
    changed = [p.pk for p in kept] + gone
    if changed:
        record_bulk(
            action="resources.proposals_refreshed",
            model=Proposal,
            ids=changed,
            by=None,
            changes={"withdrawn": gone, "certificate": result.certificate},
        )
    return kept


@transaction.atomic
def decline_proposal(*, proposal: Proposal, by: Person) -> Proposal:
    """One side says no: the pair is not proposed again, and the engine looks further."""
    current = locked(proposal)
    if current.status != Proposal.Status.PROPOSED:
        return current
    sides = [current.offer.member, current.need.member]
    if not any(coordinates(by, m) for m in sides) and not is_staff(by, proposal.network):
        raise ResourceError(_("Seules les deux organisations concernées peuvent décliner."))
    with acting_as(by.user):
        current.status = Proposal.Status.DECLINED
        current.declined_by = by
        current.save(update_fields=["status", "declined_by"])
        record(action="proposal.declined", instance=current)
    refresh_proposals(network=proposal.network)
    return current


def _overlap(a: date | None, b: date | None, *, later: bool) -> date | None:
    values = [d for d in (a, b) if d is not None]
    if not values:
        return None
    return max(values) if later else min(values)


@transaction.atomic
def start_agreement(*, proposal: Proposal, by: Person) -> Agreement:
    """Turn a proposal into a draft agreement, its terms filled from the offer and the need.
    A second click (or the other side at the same time) finds the draft already made."""
    current = locked(proposal)
    if current.status == Proposal.Status.AGREED:
        existing = current.agreements.order_by("-pk").first()
        if existing is not None:
            return existing
    if current.status == Proposal.Status.DECLINED:
        raise ResourceError(_("Ce jumelage a été décliné."))
    offer, need = current.offer, current.need
    lender_side, borrower_side = coordinates(by, offer.member), coordinates(by, need.member)
    if not (lender_side or borrower_side):
        raise ResourceError(
            _("Seules les deux organisations concernées peuvent proposer l’entente.")
        )
    today = timezone.localdate()
    starts = _overlap(offer.available_from, need.available_from, later=True) or today
    ends = _overlap(offer.available_until, need.available_until, later=False)
    if ends is None or ends < starts:
        ends = date(starts.year + 1, starts.month, 1) if ends is None else starts
    days = need.days_display() or offer.days_display()
    agreement = Agreement(
        network=current.network,
        proposal=current,
        offer=offer,
        need=need,
        lender=offer.member,
        borrower=need.member,
        title=offer.title,
        quantity=need.quantity if need.unit == offer.unit or not offer.unit else None,
        unit=need.unit or offer.unit,
        starts_on=starts,
        ends_on=ends,
        schedule=days,
        cost=offer.cost,
        insurance=(
            str(_("L’utilisateur fournit une preuve d’assurance responsabilité."))
            if offer.insurance_required
            else ""
        ),
        operator=str(_("Fourni par le prêteur.")) if offer.operator_included else "",
        conditions=offer.conditions,
        lender_contact=by if lender_side else offer.contact,
        borrower_contact=by if borrower_side else need.contact,
        created_by=by,
    )
    ResourceError.check(agreement)
    with acting_as(by.user):
        agreement.save()
        current.status = Proposal.Status.AGREED
        current.save(update_fields=["status"])
        record(action="agreement.drafted", instance=agreement)
    refresh_proposals(network=current.network)
    return agreement


def _sides(by: Person, agreement: Agreement) -> list[str]:
    sides = []
    if coordinates(by, agreement.lender):
        sides.append("lender")
    if coordinates(by, agreement.borrower):
        sides.append("borrower")
    return sides


def _void_signatures(agreement: Agreement) -> bool:
    voided = agreement.signatures() > 0
    for side in ("lender", "borrower"):
        setattr(agreement, f"{side}_signed_by", None)
        setattr(agreement, f"{side}_signed_at", None)
    return voided


@transaction.atomic
def update_agreement(
    *, agreement: Agreement, by: Person, revision: int | None = None, **terms: Any
) -> Agreement:
    """Change the terms of an agreement not yet in force. A signature already given is voided:
    both sides sign the same text, and the page says so."""
    if not _sides(by, agreement):
        raise ResourceError(_("Seules les deux organisations de l’entente peuvent la modifier."))
    if agreement.status != Agreement.Status.DRAFT:
        raise ResourceError(
            _("Une entente signée ne se modifie plus : terminez-la et faites-en une nouvelle.")
        )
    for name, value in terms.items():
        if name not in AGREEMENT_TERMS:
            raise TypeError(f"unknown term: {name}")
        setattr(agreement, name, value)
    if agreement.ends_on < agreement.starts_on:
        raise ResourceError(_("La fin doit suivre le début."), "ends_on")
    ResourceError.check(agreement)
    voided = _void_signatures(agreement)
    with acting_as(by.user):
        save_versioned(agreement, seen=revision)
        if voided:
            record(action="agreement.signatures_voided", instance=agreement)
    return agreement


@transaction.atomic
def sign_agreement(
    *,
    agreement: Agreement,
    by: Person,
    revision: int,
    side: str | None = None,
    notify: bool = True,
) -> Agreement:
    """`by` confirms for their side the terms they read (`revision`). Signing again changes
    nothing (a double click); terms changed since they read them are refused. Once both sides
    have signed, the agreement is in force and counts in the network's figures. The other side
    (or both, once in force) is told by e-mail unless `notify` is off (the demo)."""
    current = locked(agreement)
    sides = _sides(by, current)
    if side is not None:
        sides = [s for s in sides if s == side]
    if not sides:
        raise ResourceError(_("Seule la coordination de chaque organisation signe pour elle."))
    if current.status != Agreement.Status.DRAFT:
        if current.status == Agreement.Status.SIGNED:
            return current  # already in force: the second click of a double click
        raise ResourceError(_("Cette entente n’est plus à signer."))
    if current.revision != revision:
        raise StaleEdit(
            current,
            _(
                "Les conditions ont changé depuis que vous les avez lues : relisez-les avant "
                "de signer."
            ),
        )
    side = (
        sides[0]
        if len(sides) == 1
        else next((s for s in sides if getattr(current, f"{s}_signed_at") is None), sides[0])
    )
    if getattr(current, f"{side}_signed_at") is not None:
        return current
    now = timezone.now()
    setattr(current, f"{side}_signed_by", by)
    setattr(current, f"{side}_signed_at", now)
    fields = [f"{side}_signed_by", f"{side}_signed_at"]
    if current.signatures() == 2:
        current.status = Agreement.Status.SIGNED
        current.signed_at = now
        fields += ["status", "signed_at"]
    with acting_as(by.user):
        current.save(update_fields=fields)
        record(action=f"agreement.signed_by_{side}", instance=current)
        if current.status == Agreement.Status.SIGNED:
            record(action="agreement.signed", instance=current)
    if current.status == Agreement.Status.SIGNED:
        sync_figures(agreement=current, on=timezone.localdate(now), by=by)
    if notify:
        _tell_other_side(current, signed=side)
    return current


def _tell_other_side(agreement: Agreement, *, signed: str) -> None:
    from .tasks import send_agreement_mail

    if agreement.status == Agreement.Status.SIGNED:
        people = {agreement.lender_contact_id, agreement.borrower_contact_id}
        what = "in_force"
    else:
        other = "borrower" if signed == "lender" else "lender"
        people = {getattr(agreement, f"{other}_contact_id")}
        what = "to_sign"
    for person_id in people:
        transaction.on_commit(
            lambda p=person_id: send_agreement_mail.enqueue(
                agreement_id=agreement.pk, person_id=p, what=what
            )
        )


@transaction.atomic
def end_agreement(*, agreement: Agreement, by: Person, reason: str = "") -> Agreement:
    """End an agreement in force (its uses stay counted), or cancel one not yet signed (the
    need can be matched again)."""
    current = locked(agreement)
    if not _sides(by, current) and not is_staff(by, current.network):
        raise ResourceError(_("Seules les deux organisations de l’entente peuvent y mettre fin."))
    if current.status in (Agreement.Status.ENDED, Agreement.Status.CANCELLED):
        return current
    was_signed = current.status == Agreement.Status.SIGNED
    current.status = Agreement.Status.ENDED if was_signed else Agreement.Status.CANCELLED
    current.ended_at = timezone.now()
    current.ended_by = by
    current.end_reason = reason.strip()[:300]
    with acting_as(by.user):
        current.save(update_fields=["status", "ended_at", "ended_by", "end_reason"])
        record(action=f"agreement.{current.status}", instance=current)
    if not was_signed and current.proposal_id:
        # The pair was tried and dropped: it is not proposed again.
        Proposal.objects.filter(pk=current.proposal_id).update(status=Proposal.Status.DECLINED)
        record_bulk(
            action="proposal.declined",
            model=Proposal,
            ids=[current.proposal_id],
            by=by.user,
        )
    refresh_proposals(network=current.network)
    return current


@transaction.atomic
def record_use(
    *,
    agreement: Agreement,
    by: Person,
    on: date,
    quantity: Decimal | None = None,
    unit: str = "",
    tonnes: Decimal | None = None,
    note: str = "",
) -> Use:
    """A use under an agreement in force, within its period and not in the future."""
    current = locked(agreement)
    if not _sides(by, current):
        raise ResourceError(
            _("Seules les deux organisations de l’entente notent ses utilisations.")
        )
    if current.status != Agreement.Status.SIGNED:
        raise ResourceError(
            _("Une utilisation se note sous une entente signée par les deux parties.")
        )
    if on > timezone.localdate():
        raise ResourceError(_("Cette date est dans le futur."), "on")
    if not current.starts_on <= on <= current.ends_on:
        raise ResourceError(_("Cette date est hors de la période de l’entente."), "on")
    if quantity is not None and quantity < 0:
        raise ResourceError(_("La quantité ne peut pas être négative."), "quantity")
    if tonnes is not None and tonnes < 0:
        raise ResourceError(_("Le poids ne peut pas être négatif."), "tonnes")
    if quantity is None and tonnes is None:
        raise ResourceError(_("Indiquez une quantité ou un poids."), "quantity")
    use = Use(
        agreement=current,
        on=on,
        quantity=quantity,
        unit=unit or current.unit if quantity is not None else "",
        tonnes=tonnes,
        note=note.strip(),
        recorded_by=by,
    )
    ResourceError.check(use)
    with acting_as(by.user):
        use.save()
    sync_figures(agreement=current, on=on, by=by)
    return use


@transaction.atomic
def delete_use(*, use: Use, by: Person) -> None:
    """Take back a use entered by mistake; the figures follow."""
    agreement = use.agreement
    if not _sides(by, agreement):
        raise ResourceError(
            _("Seules les deux organisations de l’entente corrigent ses utilisations.")
        )
    on = use.on
    with acting_as(by.user):
        use.delete()
    sync_figures(agreement=agreement, on=on, by=by)


# --- the network's figures --------------------------------------------------------------

DEFAULT_INDICATORS = {
    IndicatorFeed.Source.AGREEMENTS: (
        "ententes-utilisation",
        "Ententes d’utilisation d’infrastructures et d’équipements signées",
        "Agreements to use infrastructure and equipment signed",
        "",
    ),
    IndicatorFeed.Source.USES: (
        "utilisations-ressources",
        "Utilisations de ressources partagées",
        "Uses of shared resources",
        "",
    ),
    IndicatorFeed.Source.TONNES: (
        "tonnes-ressources-partagees",
        "Denrées déplacées ou transformées avec des ressources partagées",
        "Food moved or processed with shared resources",
        "t",
    ),
}


def feeds(network: Network) -> dict[str, Indicator | None]:
    """Each source and the indicator it feeds; made the first time they are needed (indicators
    with the seed's targets in mind), unless the staff already chose."""
    existing = {
        f.source: f
        for f in IndicatorFeed.objects.filter(network=network).select_related("indicator")
    }
    if len(existing) < len(IndicatorFeed.Source.values):
        order = network.indicators.order_by("-order").values_list("order", flat=True).first() or 0
        for source, (code, label_fr, label_en, unit) in DEFAULT_INDICATORS.items():
            if source in existing:
                continue
            indicator = network.indicators.filter(code=code).first()
            if indicator is None:
                order += 1
                indicator = measurement.define_indicator(
                    network=network,
                    code=code,
                    label_fr=label_fr,
                    label_en=label_en,
                    unit=unit,
                    kind=Indicator.Kind.ENTERED,
                    order=order,
                )
            elif indicator.kind != Indicator.Kind.ENTERED:
                indicator = None
            existing[source] = IndicatorFeed.objects.create(
                network=network, source=source, indicator=indicator
            )
    return {source: feed.indicator for source, feed in existing.items()}


@transaction.atomic
def set_feed(*, network: Network, source: str, indicator: Indicator | None, by: Person) -> None:
    """Staff choose which entered indicator receives a figure (or none)."""
    if source not in IndicatorFeed.Source.values:
        raise ResourceError(_("Source inconnue."))
    if indicator is not None and (
        indicator.network_id != network.pk or indicator.kind != Indicator.Kind.ENTERED
    ):
        raise ResourceError(_("Choisissez un indicateur saisi de ce réseau."), source)
    feeds(network)
    with acting_as(by.user):
        feed = IndicatorFeed.objects.get(network=network, source=source)
        feed.indicator = indicator
        feed.save(update_fields=["indicator"])
    resync_network(network=network, by=by)


def month_figures(member: NetworkMember, on: date) -> dict[str, Decimal]:
    """What `member` (as the side that used the resource) adds to the network in the month of
    `on`: agreements signed, uses and tonnes. Counting the borrower only counts each agreement
    once."""
    start, end = month_of(on)
    agreements = Agreement.objects.filter(
        borrower=member,
        signed_at__date__gte=start,
        signed_at__date__lte=end,
        status__in=(Agreement.Status.SIGNED, Agreement.Status.ENDED),
    ).count()
    uses = Use.objects.filter(agreement__borrower=member, on__gte=start, on__lte=end)
    totals = uses.aggregate(n=Count("pk"), t=Sum("tonnes"))
    return {
        IndicatorFeed.Source.AGREEMENTS: Decimal(agreements),
        IndicatorFeed.Source.USES: Decimal(totals["n"] or 0),
        IndicatorFeed.Source.TONNES: (totals["t"] or Decimal(0)).quantize(Decimal("0.01")),
    }


def _write(indicator: Indicator, member: NetworkMember, on: date, value: Decimal, by: Any) -> None:
    start, end = month_of(on)
    if value:
        measurement.record_measurement(
            indicator=indicator,
            member=member,
            period_start=start,
            period_end=end,
            value=value,
            user=by,
        )
    else:
        Measurement.objects.filter(
            indicator=indicator, member=member, program=None, period_start=start, period_end=end
        ).delete()


def sync_figures(*, agreement: Agreement, on: date, by: Person) -> None:
    """Write the month's values of the agreement's borrower in the fed indicators (entered
    values, one per member and month: the network page sums them)."""
    member = agreement.borrower
    values = month_figures(member, on)
    user = by.user
    with acting_as(user):
        for source, indicator in feeds(agreement.network).items():
            if indicator is not None:
                _write(indicator, member, on, values[source], user)
        if agreement.signed_at is not None:
            signed_on = timezone.localdate(agreement.signed_at)
            if month_of(signed_on) != month_of(on):
                indicator = feeds(agreement.network).get(IndicatorFeed.Source.AGREEMENTS)
                if indicator is not None:
                    month = month_figures(member, signed_on)
                    _write(indicator, member, signed_on, month["agreements"], user)


def resync_network(*, network: Network, by: Person) -> None:
    """Every month of every member again (after staff changed which indicator is fed)."""
    months: set[tuple[int, date]] = set()
    for agreement in Agreement.objects.filter(network=network).exclude(signed_at=None):
        months.add((agreement.borrower_id, timezone.localdate(agreement.signed_at)))
    for borrower_id, on in Use.objects.filter(agreement__network=network).values_list(
        "agreement__borrower_id", "on"
    ):
        months.add((borrower_id, on))
    members = {m.pk: m for m in network.members.all()}
    current = feeds(network)
    with acting_as(by.user):
        for member_id, on in months:
            values = month_figures(members[member_id], on)
            for source, indicator in current.items():
                if indicator is not None:
                    _write(indicator, members[member_id], on, values[source], by.user)
