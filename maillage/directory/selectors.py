"""Reads of the directory: every entry as one audience may see it, searched, filtered, counted.

Entries are masked first and searched, filtered and counted after, on the masked entries only:
a hidden sector cannot make an organization come up under that sector, a hidden region cannot
add one to a region's count on the map.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from maillage.core.models import Organization, Territory
from maillage.measurement.models import MemberProgram, Network, NetworkMember

from .models import DirectoryOptions, PhaseChange, Profile
from .visibility import Viewer, sees


@dataclass
class Entry:
    """One organization of the directory, with only the parts its viewer may read (None or an
    empty list for a hidden part: the templates never tell hidden from empty)."""

    member_id: int
    organization_id: int
    name: str
    region: Territory | None = None
    mrc: Territory | None = None
    kind: str = ""
    kind_label: str = ""
    sector: Any = None
    phase: str = ""
    phase_label: str = ""
    history: list[PhaseChange] = field(default_factory=list)
    description: str = ""
    domains: list[Any] = field(default_factory=list)
    website: str = ""
    programs: list[str] = field(default_factory=list)
    collective: Entry | None = None
    antennas: list[Entry] = field(default_factory=list)
    editable: bool = False
    searchable: str = ""


def options_of(network: Network) -> DirectoryOptions:
    return DirectoryOptions.objects.filter(network=network).first() or DirectoryOptions(
        network=network
    )


def _members(network: Network):
    return (
        network.members.select_related(
            "organization__sector",
            "organization__territory__parent",
            "organization__parent",
            "directory_profile",
        )
        .prefetch_related(
            "organization__domains",
            Prefetch(
                "organization__phase_changes",
                queryset=PhaseChange.objects.order_by("-on", "-pk"),
            ),
            Prefetch("programs", queryset=MemberProgram.objects.select_related("program")),
        )
        .order_by("organization__name", "pk")
    )


def _fold(text: str) -> str:
    """Lower case without accents: « energie » finds « Énergie »."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def _profile(member: NetworkMember) -> Profile | None:
    try:
        return member.directory_profile
    except Profile.DoesNotExist:
        return None


def _mask(member: NetworkMember, viewer: Viewer) -> Entry:
    org: Organization = member.organization
    profile = _profile(member)

    def shown(part: str) -> bool:
        return sees(viewer, member_id=member.pk, profile=profile, part=part)

    entry = Entry(
        member_id=member.pk,
        organization_id=org.pk,
        name=org.name,
        editable=viewer.is_staff or member.pk in viewer.own,
    )
    if shown("region"):
        entry.region = org.region()
    if shown("mrc") and org.territory_id:
        entry.mrc = org.territory.mrc()
    if shown("kind"):
        entry.kind, entry.kind_label = org.kind, org.get_kind_display()
    if shown("sector"):
        entry.sector = org.sector
    if shown("phase") and org.phase:
        entry.phase, entry.phase_label = org.phase, org.get_phase_display()
        entry.history = list(org.phase_changes.all())
    if shown("description"):
        entry.description = org.description
        entry.domains = list(org.domains.all())
    if shown("website"):
        entry.website = org.website
    if shown("programs"):
        entry.programs = [link.program.title for link in member.programs.all()]
    words = [
        org.name,
        entry.description,
        *(str(d) for d in entry.domains),
        str(entry.sector or ""),
        str(entry.region or ""),
        str(entry.mrc or ""),
        *entry.programs,
    ]
    entry.searchable = _fold(" ".join(words))
    return entry


def entries(network: Network, viewer: Viewer) -> list[Entry]:
    """Every member organization, masked for `viewer`, antennas linked to their collective when
    the antenna shows that link."""
    members = list(_members(network))
    by_org = {m.organization_id: (m, _mask(m, viewer)) for m in members}
    for member, entry in by_org.values():
        parent_id = member.organization.parent_id
        if parent_id not in by_org:
            continue
        if sees(viewer, member_id=member.pk, profile=_profile(member), part="collective"):
            collective = by_org[parent_id][1]
            entry.collective = collective
            collective.antennas.append(entry)
    return [entry for _member, entry in by_org.values()]


@dataclass
class Filters:
    q: str = ""
    sector: str = ""
    region: str = ""
    mrc: str = ""
    phase: str = ""
    kind: str = ""

    def any(self) -> bool:
        return any(vars(self).values())


def search(found: list[Entry], filters: Filters) -> list[Entry]:
    words = _fold(filters.q).split()
    return [
        e
        for e in found
        if all(w in e.searchable for w in words)
        and (not filters.sector or (e.sector is not None and e.sector.code == filters.sector))
        and (not filters.region or (e.region is not None and e.region.code == filters.region))
        and (not filters.mrc or (e.mrc is not None and e.mrc.code == filters.mrc))
        and (not filters.phase or e.phase == filters.phase)
        and (not filters.kind or e.kind == filters.kind)
    ]


def entry_of(network: Network, viewer: Viewer, organization_id: int) -> Entry | None:
    return next((e for e in entries(network, viewer) if e.organization_id == organization_id), None)


def directory_table(found: list[Entry]) -> tuple[list[str], list[list[Any]]]:
    """The export: the same masked entries as the page (a hidden part is an empty cell)."""
    headers = [
        _("Organisation"),
        _("Région"),
        _("MRC"),
        _("Type"),
        _("Secteur"),
        _("Phase de maturité"),
        _("Collectif"),
        _("Domaines"),
        _("Description"),
        _("Site web"),
        _("Programmes"),
    ]
    rows = [
        [
            e.name,
            str(e.region or ""),
            str(e.mrc or ""),
            e.kind_label,
            str(e.sector or ""),
            e.phase_label,
            e.collective.name if e.collective else "",
            ", ".join(str(d) for d in e.domains),
            e.description,
            e.website,
            ", ".join(e.programs),
        ]
        for e in found
    ]
    return headers, rows
