"""Writes of the directory: an organization's profile, its phases, its antennas, its choices
of audience, and the network's public page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from maillage.core.audit import acting_as, record
from maillage.core.locking import locked, save_versioned
from maillage.core.models import Domain, Organization, Sector, Territory
from maillage.measurement import services as measurement
from maillage.measurement.errors import MeasurementError
from maillage.measurement.models import Network, NetworkMember

from .errors import DirectoryError
from .models import AUDIENCE_RANK, FIELD_NAMES, DirectoryOptions, PhaseChange, Profile

PROFILE_FIELDS = ("name", "kind", "sector", "territory", "website", "description", "parent")


def _check_parent(organization: Organization, parent: Organization | None) -> None:
    """An antenna belongs to a collective that is not itself one of its antennas (no loop)."""
    node = parent
    while node is not None:
        if node.pk == organization.pk:
            raise DirectoryError(
                _("Une organisation ne peut pas être l’antenne d’elle-même ni de ses antennes."),
                "parent",
            )
        node = node.parent


@transaction.atomic
def update_organization(
    *,
    organization: Organization,
    by: Any,
    revision: int | None = None,
    name: str,
    kind: str,
    sector: Sector | None = None,
    territory: Territory | None = None,
    website: str = "",
    description: str = "",
    parent: Organization | None = None,
    domains: list[Domain] | None = None,
) -> Organization:
    """Save what an organization says of itself. `revision` is the one the form was rendered
    with: if someone saved since, `StaleEdit` refuses rather than overwrite."""
    _check_parent(organization, parent)
    organization.name = name.strip()
    organization.kind = kind
    organization.sector = sector
    organization.territory = territory
    organization.website = website
    organization.description = description
    organization.parent = parent
    DirectoryError.check(organization)
    with acting_as(by):
        save_versioned(organization, seen=revision, fields=[*PROFILE_FIELDS, "updated_at"])
        if domains is not None:
            organization.domains.set(domains)
    return organization


@transaction.atomic
def add_organization(
    *,
    network: Network,
    by: Any,
    name: str,
    territory: Territory,
    kind: str = Organization.Kind.NONPROFIT,
    sector: Sector | None = None,
    parent: Organization | None = None,
    phase: str = "",
    description: str = "",
) -> NetworkMember:
    """A new member of the network with its profile: the membership is measurement's
    `join_network` (a known organization of that name is reused, never doubled); what the
    directory adds is filled in for a new organization only (a known one keeps its own)."""
    if parent is not None and not network.members.filter(organization=parent).exists():
        raise DirectoryError(_("Le collectif doit être membre du réseau."), "parent")
    with acting_as(by):
        try:
            member = measurement.join_network(network=network, name=name, region=territory)
        except MeasurementError as error:
            field = "territory" if error.field == "region" else error.field
            raise DirectoryError(error.message, field) from error
    organization = member.organization
    fields = {f: getattr(organization, f) for f in PROFILE_FIELDS}
    if not organization.sector_id and not organization.description:
        # A bare organization (new, or known by name only): the form's answers fill it in.
        fields |= {"kind": kind, "sector": sector, "description": description}
        fields["territory"] = organization.territory or territory
    if parent is not None and organization.parent_id is None:
        fields["parent"] = parent
    update_organization(organization=organization, by=by, **fields)
    if phase and not organization.phase:
        record_phase(
            organization=organization,
            phase=phase,
            on=date.today(),
            note=_("Phase à l’entrée dans le réseau."),
            by=by,
        )
    with acting_as(by):
        record(action="directory.organization_added", instance=member)
    return member


@transaction.atomic
def record_phase(
    *, organization: Organization, phase: str, on: date, note: str = "", by: Any
) -> PhaseChange:
    """A dated change of maturity phase. The organization's phase is that of its latest change
    (by date), so a change recorded late for an earlier date goes into the history only."""
    if phase not in Organization.Phase.values:
        raise DirectoryError(_("Choisissez une phase."), "phase")
    if on > date.today():
        raise DirectoryError(
            _("Un changement de phase se note une fois arrivé : la date est dans le futur."), "on"
        )
    given, organization = organization, locked(organization)
    with acting_as(by):
        change = PhaseChange(organization=organization, phase=phase, on=on, note=note.strip())
        change.by = by if getattr(by, "is_authenticated", False) else None
        DirectoryError.check(change)
        change.save()
        latest = organization.phase_changes.order_by("-on", "-pk").first()
        if latest is not None and organization.phase != latest.phase:
            organization.phase = latest.phase
            organization.save(update_fields=["phase", "updated_at"])
    given.phase = organization.phase  # the caller's copy says the new phase too
    return change


def profile_of(member: NetworkMember) -> Profile:
    return Profile.objects.filter(member=member).first() or Profile(member=member)


@transaction.atomic
def set_visibility(
    *, member: NetworkMember, visibility: dict[str, str], by: Any, revision: int | None = None
) -> Profile:
    """The organization's choice of audience for each part of its profile. A part left out
    keeps its default (the minimum): nothing opens by omission."""
    unknown = set(visibility) - set(FIELD_NAMES)
    bad = [v for v in visibility.values() if v not in AUDIENCE_RANK]
    if unknown or bad:
        raise DirectoryError(_("Choix de visibilité inconnu."))
    profile, _created = Profile.objects.get_or_create(member=member)
    profile.visibility = dict(visibility)
    with acting_as(by):
        save_versioned(profile, seen=revision, fields=["visibility", "updated_at"])
    return profile


@transaction.atomic
def set_directory_options(
    *, network: Network, public: bool, intro: str = "", by: Any
) -> DirectoryOptions:
    options, _created = DirectoryOptions.objects.get_or_create(network=network)
    options.public, options.intro = public, intro.strip()
    with acting_as(by):
        options.save()
        record(
            action="directory.published" if public else "directory.unpublished",
            instance=options,
        )
    return options
