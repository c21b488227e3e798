"""A fictional network for `./run`: a backbone organization, the demo program's coordinating
organization and three other members, common indicators with a baseline and a plan.

Every name is invented. The demo programs (the current edition and the finished 2025 one, whose
end-of-2025 figures are the baseline) feed the network with the consent of their coordinator
(Camille); the other members enter the tonnes of fruit and vegetables they offer at social prices
each quarter (the numeric targets of a collective, seed 004). Julie Bergeron runs the network
(backbone staff) and Robert Morin, the demo funder, sees its totals.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from maillage.core.models import Organization, Person, Sector, Territory
from maillage.measurement import services
from maillage.measurement.aggregation import figure, program_figures
from maillage.measurement.models import Network, NetworkRole
from maillage.programs.models import Program, Role

from .editions import (
    DEMO_DOMAIN,
    MENTOR_SYNERGIES_ORG,
    MENTOR_TEAM_ORG,
    PAST_DEMO_TITLE,
    _person,
)

DEMO_NETWORK = "Mesure commune du réemploi alimentaire (démo)"
BACKBONE = "Réseau québécois du réemploi alimentaire (fictif)"
FRIGO = "Frigo Partagé du Fjord (fictif)"

# (code, French label, English label, key of reports.indicators.program_indicators, counts
# people or organizations, plan: {date: target})
COMPUTED = [
    (
        "candidatures",
        "Candidatures reçues",
        "Applications received",
        "applications_received",
        True,
        {date(2026, 6, 30): 25, date(2026, 12, 31): 40, date(2027, 6, 30): 60},
    ),
    (
        "retenues",
        "Organisations retenues pour le mentorat",
        "Organizations selected for mentoring",
        "applications_selected",
        True,
        {date(2026, 12, 31): 12, date(2027, 6, 30): 20},
    ),
    (
        "mentorees",
        "Personnes mentorées",
        "Mentees",
        "mentees",
        True,
        {date(2026, 12, 31): 10, date(2027, 6, 30): 20},
    ),
    (
        "rencontres",
        "Rencontres de mentorat tenues",
        "Mentoring meetings held",
        "meetings_held.total",
        False,
        {date(2026, 12, 31): 20, date(2027, 6, 30): 60},
    ),
]
QUARTERS = [
    (date(2026, 1, 1), date(2026, 3, 31)),
    (date(2026, 4, 1), date(2026, 6, 30)),
    (date(2026, 7, 1), date(2026, 9, 30)),
]
# Tonnes offered at social prices by member, per quarter (seed 004: 40 to 50 t in two years).
TONNES = {
    "coordinating": ("1.2", "1.8", "2.4"),
    MENTOR_TEAM_ORG[0]: ("2.5", "3.1", "3.6"),
    MENTOR_SYNERGIES_ORG[0]: ("0.8", "1.1", "1.5"),
    FRIGO: ("1.9", "2.4", "2.8"),
}
TONNES_PLAN = {
    date(2026, 6, 30): 12,
    date(2026, 12, 31): 28,
    date(2027, 6, 30): 40,
    date(2027, 12, 31): 50,
}


def _organization(name: str) -> Organization:
    """A demo organization by the start of its name (the demo adds « (fictif) » or « (fictive) »)."""
    return Organization.objects.filter(name__startswith=name).order_by("pk").first()


@transaction.atomic
def build_demo_network(program: Program) -> Network:
    """The demo network around the demo program; running it again changes nothing."""
    existing = Network.objects.filter(name=DEMO_NETWORK).first()
    if existing is not None:
        return existing
    backbone = Organization.objects.create(
        name=BACKBONE,
        kind=Organization.Kind.NETWORK,
        sector=Sector.objects.filter(code="communautaire").first(),
        territory=Territory.objects.filter(code="QC-06").first(),
        phase=Organization.Phase.ACTIVE,
    )
    network = services.create_network(
        backbone=backbone,
        name=DEMO_NETWORK,
        description=(
            "Des organismes en réemploi alimentaire de plusieurs régions suivent ensemble des "
            "indicateurs communs : ce que leurs programmes de maillage produisent, et les tonnes "
            "de fruits et légumes offertes à prix social. Réseau fictif, pour la démonstration."
        ),
    )
    coordinating = program.coordinating_organization
    members = {"coordinating": services.add_member(network=network, organization=coordinating)}
    for name in (MENTOR_TEAM_ORG[0], MENTOR_SYNERGIES_ORG[0], FRIGO):
        organization = _organization(name)
        if organization is not None:
            members[name] = services.add_member(network=network, organization=organization)

    camille = program.roles.filter(kind=Role.Kind.COORDINATOR).order_by("pk").first().person
    services.attach_program(member=members["coordinating"], program=program, consent_by=camille)
    # The finished 2025 edition feeds the network too: its figures at the end of 2025 are the
    # baseline the network started from.
    past = Program.objects.filter(title=PAST_DEMO_TITLE).first()
    if past is not None:
        services.attach_program(member=members["coordinating"], program=past, consent_by=camille)

    julie = Person.objects.filter(email=f"julie.bergeron@{DEMO_DOMAIN}").first() or _person(
        "Julie",
        "Bergeron",
        backbone,
        login=True,
        position="Responsable de la mesure partagée",
        can_decide=True,
    )
    services.assign_network_role(network=network, person=julie, kind=NetworkRole.Kind.STAFF)
    funder = Person.objects.filter(email=f"robert.morin@{DEMO_DOMAIN}").first()
    if funder is not None:
        services.assign_network_role(network=network, person=funder, kind=NetworkRole.Kind.FUNDER)
    services.assign_network_role(
        network=network,
        person=camille,
        kind=NetworkRole.Kind.MEMBER,
        member=members["coordinating"],
    )

    start = date(2025, 12, 31)
    past_figures = program_figures(past, until=start) if past is not None else None
    for order, (code, label_fr, label_en, key, people, plan) in enumerate(COMPUTED, start=1):
        indicator = services.define_indicator(
            network=network,
            code=code,
            label_fr=label_fr,
            label_en=label_en,
            kind="computed",
            source_key=key,
            counts_people=people,
            order=order,
        )
        baseline = figure(past_figures, key)
        services.set_baseline(
            indicator=indicator,
            value=Decimal(str(baseline or 0)),
            on=start,
            source=(
                "Édition 2025 du programme de maillage, à la fin de 2025 (fictif)"
                if past is not None
                else "Aucun programme de maillage avant 2026 (fictif)"
            ),
        )
        for on, value in plan.items():
            services.set_target(indicator=indicator, on=on, value=Decimal(value))

    tonnes = services.define_indicator(
        network=network,
        code="tonnes-prix-social",
        label_fr="Fruits et légumes offerts à prix social",
        label_en="Fruit and vegetables offered at social prices",
        unit="t",
        order=len(COMPUTED) + 1,
    )
    services.set_baseline(
        indicator=tonnes, value=Decimal(6), on=start, source="Bilan 2025 des membres (fictif)"
    )
    for on, value in TONNES_PLAN.items():
        services.set_target(indicator=tonnes, on=on, value=Decimal(value))
    for key, values in TONNES.items():
        if key not in members:
            continue
        for (period_start, period_end), value in zip(QUARTERS, values, strict=True):
            services.record_measurement(
                indicator=tonnes,
                member=members[key],
                period_start=period_start,
                period_end=period_end,
                value=Decimal(value),
            )

    # The second quarter is closed: its computed figures are frozen as they stood on June 30.
    services.close_period(network=network, period_start=QUARTERS[1][0], period_end=QUARTERS[1][1])
    return network
