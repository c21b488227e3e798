"""Writes of the shared measurement: networks, members, indicators, baseline, plan, values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.models import Organization, Person, Territory
from maillage.programs.models import Program, Role

from .errors import MeasurementError
from .models import (
    Baseline,
    Indicator,
    Measurement,
    MemberProgram,
    Network,
    NetworkMember,
    NetworkRole,
    PlanTarget,
)


def _clean(obj: Any) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise MeasurementError(messages[0], None if field == "__all__" else field) from error


@transaction.atomic
def create_network(*, backbone: Organization, name: str, description: str = "") -> Network:
    network = Network(backbone=backbone, name=name, description=description)
    _clean(network)
    network.save()
    return network


@transaction.atomic
def add_member(*, network: Network, organization: Organization) -> NetworkMember:
    member, _created = NetworkMember.objects.get_or_create(
        network=network, organization=organization, defaults={"joined_on": date.today()}
    )
    return member


@transaction.atomic
def assign_network_role(
    *, network: Network, person: Person, kind: str, member: NetworkMember | None = None
) -> NetworkRole:
    if kind == NetworkRole.Kind.MEMBER and member is None:
        raise MeasurementError(_("Indiquez l’organisation membre."), "member")
    if member is not None and member.network_id != network.pk:
        raise MeasurementError(_("Cette organisation n’est pas membre du réseau."), "member")
    role, _created = NetworkRole.objects.update_or_create(
        network=network, person=person, kind=kind, defaults={"member": member}
    )
    return role


@transaction.atomic
def attach_program(*, member: NetworkMember, program: Program, consent_by: Person) -> MemberProgram:
    """A program feeds the network only with the consent of one of its coordinators."""
    if not program.roles.filter(person=consent_by, kind=Role.Kind.COORDINATOR).exists():
        raise MeasurementError(
            _("Seule une personne qui coordonne ce programme peut consentir à son partage."),
            "consent_by",
        )
    link, _created = MemberProgram.objects.get_or_create(
        member=member,
        program=program,
        defaults={"consent_by": consent_by, "consent_at": timezone.now()},
    )
    return link


@transaction.atomic
def join_network(*, network: Network, name: str, region: Territory | None = None) -> NetworkMember:
    """Make an organization a member: the directory's organization of that name, or a new one in
    `region`. The region is asked for a new one only, so that a typo in the name of a known
    organization is caught rather than creating a second organization."""
    from maillage.portability.services import find_or_create_organization

    name = name.strip()
    if not name:
        raise MeasurementError(_("Indiquez le nom de l’organisation."), "name")
    known = Organization.objects.filter(name__iexact=name).order_by("pk").first()
    if known is None and region is None:
        raise MeasurementError(
            _(
                "Aucune organisation de ce nom dans Maillage. Choisissez-la dans la liste proposée "
                "pendant que vous tapez, ou indiquez sa région pour l’ajouter."
            ),
            "region",
        )
    if known is not None and network.members.filter(organization=known).exists():
        raise MeasurementError(
            _("« %(name)s » est déjà membre du réseau.") % {"name": known.name}, "name"
        )
    organization = find_or_create_organization(
        name=name, region=None if known else region, existing=known
    )
    return add_member(network=network, organization=organization)


@transaction.atomic
def remove_member(*, member: NetworkMember) -> None:
    """Take an organization out of the network, with its shared programs and its coordinators'
    roles. Refused once it has values: they belong to the network's history."""
    if member.measurements.exists():
        raise MeasurementError(
            _(
                "« %(name)s » a déjà des valeurs dans le réseau (saisies, ou figées à la clôture "
                "d’une période). La retirer effacerait ces chiffres de l’historique du réseau : "
                "elle reste membre."
            )
            % {"name": member.organization.name}
        )
    member.delete()


@transaction.atomic
def assign_network_role_by_email(
    *,
    network: Network,
    email: str,
    kind: str,
    member: NetworkMember | None = None,
    first_name: str = "",
    last_name: str = "",
) -> NetworkRole:
    """Give a role to the person with this e-mail, or to a new person (names then needed)."""
    from maillage.programs.services import find_or_create_person

    if kind not in NetworkRole.Kind.values:
        raise MeasurementError(_("Choisissez un rôle de la liste."), "kind")
    try:
        person = find_or_create_person(first_name=first_name, last_name=last_name, email=email)
    except ValidationError as error:
        raise MeasurementError(
            _(
                "Personne n’a encore ce courriel dans Maillage : indiquez son prénom et son nom "
                "pour l’ajouter."
            ),
            "first_name",
        ) from error
    return assign_network_role(
        network=network,
        person=person,
        kind=kind,
        member=member if kind == NetworkRole.Kind.MEMBER else None,
    )


@transaction.atomic
def remove_network_role(*, role: NetworkRole) -> None:
    network = Network.objects.select_for_update().get(pk=role.network_id)
    if (
        role.kind == NetworkRole.Kind.STAFF
        and network.roles.filter(kind=NetworkRole.Kind.STAFF).count() == 1
    ):
        raise MeasurementError(
            _("Un réseau garde au moins une personne dans l’équipe de l’organisation de soutien.")
        )
    role.delete()


@transaction.atomic
def detach_program(*, link: MemberProgram, by: Person | None) -> None:
    """Withdraw a program's consent: it stops feeding the network from now on. The values frozen
    when a period closed stay: they are the network's history, as published at the time."""
    if by is None or not link.program.roles.filter(person=by, kind=Role.Kind.COORDINATOR).exists():
        raise MeasurementError(
            _("Seule une personne qui coordonne ce programme peut retirer son partage.")
        )
    link.delete()


@transaction.atomic
def define_indicator(*, network: Network, **fields: Any) -> Indicator:
    indicator = Indicator(network=network, **fields)
    if indicator.kind == Indicator.Kind.COMPUTED and not indicator.source_key:
        raise MeasurementError(
            _("Un indicateur calculé doit nommer l’indicateur de programme qu’il reprend."),
            "source_key",
        )
    _clean(indicator)
    indicator.save()
    return indicator


@transaction.atomic
def set_baseline(*, indicator: Indicator, value: Decimal, on: date, source: str = "") -> Baseline:
    baseline, _created = Baseline.objects.update_or_create(
        indicator=indicator, defaults={"value": value, "date": on, "source": source}
    )
    _clean(baseline)
    return baseline


@transaction.atomic
def set_target(*, indicator: Indicator, on: date, value: Decimal) -> PlanTarget:
    target, _created = PlanTarget.objects.update_or_create(
        indicator=indicator, date=on, defaults={"value": value}
    )
    _clean(target)
    return target


@transaction.atomic
def record_measurement(
    *,
    indicator: Indicator,
    member: NetworkMember,
    period_start: date,
    period_end: date,
    value: Decimal,
    user: Any = None,
) -> Measurement:
    if indicator.kind != Indicator.Kind.ENTERED:
        raise MeasurementError(_("Cet indicateur est calculé : il ne se saisit pas."), "indicator")
    if member.network_id != indicator.network_id:
        raise MeasurementError(_("Cette organisation n’est pas membre du réseau."), "member")
    if period_end < period_start:
        raise MeasurementError(_("La fin de la période doit suivre son début."), "period_end")
    if value < 0:
        raise MeasurementError(_("La valeur ne peut pas être négative."), "value")
    measurement, _created = Measurement.objects.update_or_create(
        indicator=indicator,
        member=member,
        program=None,
        period_start=period_start,
        period_end=period_end,
        defaults={"value": value, "entered_by": user},
    )
    return measurement


@transaction.atomic
def close_period(*, network: Network, period_start: date, period_end: date) -> int:
    """Freeze each computed indicator per member program as of `period_end`."""
    from .aggregation import program_value

    count = 0
    cache: dict = {}  # each program's figures computed once for all the indicators
    links = MemberProgram.objects.filter(member__network=network).select_related("program")
    for indicator in network.indicators.filter(kind=Indicator.Kind.COMPUTED):
        for link in links:
            value = program_value(link.program, indicator.source_key, until=period_end, cache=cache)
            Measurement.objects.update_or_create(
                indicator=indicator,
                member=link.member,
                program=link.program,
                period_start=period_start,
                period_end=period_end,
                defaults={"value": Decimal(str(value or 0)), "is_snapshot": True},
            )
            count += 1
    return count
