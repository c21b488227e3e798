"""The demo network's directory: a collective with five local antennas at its four maturity
phases, each with its dated history (seed 004, Les Complices Alimentaires of Montérégie-Ouest),
and a dozen organizations across Québec's regions, each with its own choices of what it shows.
The directory is published (its public page shows the parts the organizations made public).

Every name is invented. Running it again changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from maillage.core.models import Domain, Organization, Sector, Territory
from maillage.directory import services
from maillage.directory.models import FIELD_NAMES, Audience, Profile
from maillage.measurement.models import Network

Phase = Organization.Phase
Kind = Organization.Kind
COLLECTIVE = "Complices alimentaires de la Montérégie-Ouest (fictif)"
OPEN_TO_MEMBERS = dict.fromkeys(FIELD_NAMES, Audience.NETWORK)
PUBLIC_PROFILE = dict.fromkeys(FIELD_NAMES, Audience.PUBLIC) | {"programs": Audience.NETWORK}

# name, MRC code, kind, sector, domains, description, phases [(phase, months ago, note)], audience
ANTENNAS = [
    (
        "Antenne Beauharnois-Salaberry des Complices (fictive)",
        "700",
        "Cuisine collective et camion réfrigéré partagés entre six organismes de la MRC.",
        [
            (Phase.INCUBATION, 40, "Premier comité d’antenne réuni."),
            (Phase.PRE_START, 30, "Plan d’action local adopté."),
            (Phase.DEVELOPMENT, 18, "Chargée de projet locale embauchée."),
            (Phase.ACTIVE, 6, "Deux points de vente ouverts, entente d’usage du camion signée."),
        ],
        PUBLIC_PROFILE,
    ),
    (
        "Antenne du Haut-Saint-Laurent des Complices (fictive)",
        "690",
        "Chambre froide et marché solidaire itinérant dans les villages de la MRC.",
        [
            (Phase.INCUBATION, 26, "Rencontre des organismes du territoire."),
            (Phase.PRE_START, 14, "Fiduciaire local choisi."),
            (Phase.DEVELOPMENT, 4, "Premier entreposage en chambre froide."),
        ],
        OPEN_TO_MEMBERS,
    ),
    (
        "Antenne des Jardins-de-Napierville des Complices (fictive)",
        "680",
        "Une antenne qui se forme autour de producteurs maraîchers et d’un comptoir alimentaire.",
        [(Phase.INCUBATION, 3, "Première rencontre d’intérêt.")],
        {"region": Audience.PUBLIC, "mrc": Audience.PUBLIC, "phase": Audience.NETWORK},
    ),
    (
        "Antenne de Vaudreuil-Soulanges des Complices (fictive)",
        "710",
        "Un comité d’organismes prépare un comptoir de dépannage et la récupération en épicerie.",
        [
            (Phase.INCUBATION, 11, "Portrait des besoins alimentaires de la MRC."),
            (Phase.PRE_START, 2, "Entente de principe avec deux épiceries."),
        ],
        OPEN_TO_MEMBERS,
    ),
    (
        "Antenne de Roussillon des Complices (fictive)",
        "670",
        "Transformation des surplus dans une cuisine communautaire et trois points de vente.",
        [
            (Phase.INCUBATION, 48, "Premier comité d’antenne réuni."),
            (Phase.PRE_START, 38, "Cuisine communautaire trouvée."),
            (Phase.DEVELOPMENT, 26, "Premiers repas vendus à prix social."),
            (Phase.ACTIVE, 12, "Troisième point de vente ouvert."),
        ],
        PUBLIC_PROFILE,
    ),
]

# name, MRC code, kind, sector, domain codes, description, phase, audience
OTHERS = [
    (
        "Cuisine partagée de Rimouski (fictive)",
        "100",
        Kind.NONPROFIT,
        "communautaire",
        ["transformation_alimentaire"],
        "Cuisine certifiée louée à l’heure aux entreprises d’économie sociale.",
        Phase.ACTIVE,
        PUBLIC_PROFILE,
    ),
    (
        "Marché solidaire de Limoilou (fictif)",
        "230",
        Kind.COOPERATIVE,
        "econ_sociale",
        ["distribution_marche"],
        "Épicerie à prix social tenue par ses membres.",
        Phase.ACTIVE,
        OPEN_TO_MEMBERS,
    ),
    (
        "Récolte urbaine de Sherbrooke (fictive)",
        "430",
        Kind.NONPROFIT,
        "communautaire",
        ["agriculture_urbaine"],
        "Jardins collectifs et glanage dans les vergers de l’Estrie.",
        Phase.DEVELOPMENT,
        PUBLIC_PROFILE,
    ),
    (
        "Banque alimentaire de l’Outaouais (fictive)",
        "810",
        Kind.NONPROFIT,
        "communautaire",
        ["securite_alimentaire"],
        "Collecte et redistribution des surplus des épiceries de Gatineau.",
        Phase.ACTIVE,
        OPEN_TO_MEMBERS,
    ),
    (
        "Transport solidaire Mauricie (fictif)",
        "371",
        Kind.COOPERATIVE,
        "econ_sociale",
        ["logistique_transport"],
        "Camions partagés pour la livraison des denrées.",
        Phase.PRE_START,
        {"region": Audience.PUBLIC, "sector": Audience.NETWORK},
    ),
    (
        "Table de concertation en sécurité alimentaire de Joliette (fictive)",
        "610",
        Kind.NETWORK,
        "communautaire",
        ["gouvernance_concertation"],
        "Réunit les organismes et la MRC.",
        Phase.ACTIVE,
        PUBLIC_PROFILE,
    ),
    (
        "Frigos communautaires de Rouyn-Noranda (fictifs)",
        "860",
        Kind.NONPROFIT,
        "communautaire",
        ["reemploi_alimentaire"],
        "Cinq frigos en libre-service approvisionnés chaque jour.",
        Phase.DEVELOPMENT,
        OPEN_TO_MEMBERS,
    ),
    (
        "Jardin nourricier de Sept-Îles (fictif)",
        "971",
        Kind.NONPROFIT,
        "communautaire",
        ["agriculture_urbaine"],
        "Serre communautaire ouverte à l’année.",
        Phase.INCUBATION,
        {},
    ),
    (
        "Centre de tri alimentaire de Drummondville (fictif)",
        "490",
        Kind.BUSINESS,
        "econ_sociale",
        ["reemploi_alimentaire", "employabilite"],
        "Tri des invendus par des personnes en insertion.",
        Phase.ACTIVE,
        PUBLIC_PROFILE,
    ),
]


def _mrc(code: str) -> Territory:
    return Territory.objects.get(code=f"QC-MRC-{code}")


def _history(organization: Organization, phases: list, today: date, by) -> None:
    for phase, months_ago, note in phases:
        on = today - timedelta(days=30 * months_ago)
        services.record_phase(organization=organization, phase=phase, on=on, note=note, by=by)


@transaction.atomic
def build_demo_directory(network: Network) -> None:
    """Once: the collective, its antennas and the other organizations of the demo network."""
    if network.members.filter(organization__name=COLLECTIVE).exists():
        return
    by = None  # the demo loader: no one signed in
    today = date.today()
    community = Sector.objects.get(code="communautaire")
    collective = services.add_organization(
        network=network,
        by=by,
        name=COLLECTIVE,
        territory=Territory.objects.get(code="QC-16"),
        kind=Kind.NETWORK,
        sector=community,
        description=(
            "Cinquante organisations de cinq MRC mutualisent cuisines, camions, chambres froides, "
            "personnel et outils pour offrir des fruits et légumes à prix social."
        ),
    )
    _history(
        collective.organization,
        [
            (Phase.PRE_START, 60, "Premier modèle de gouvernance (2019)."),
            (Phase.DEVELOPMENT, 36, "Deuxième modèle : comités d’antenne et cercles."),
            (Phase.ACTIVE, 12, "Plan d’action collectif adopté par le comité des partenaires."),
        ],
        today,
        by,
    )
    collective.organization.domains.set(
        Domain.objects.filter(code__in=["reemploi_alimentaire", "logistique_transport"])
    )
    services.set_visibility(member=collective, visibility=PUBLIC_PROFILE, by=by)
    for name, mrc, description, phases, audience in ANTENNAS:
        member = services.add_organization(
            network=network,
            by=by,
            name=name,
            territory=_mrc(mrc),
            sector=community,
            parent=collective.organization,
            description=description,
        )
        _history(member.organization, phases, today, by)
        member.organization.domains.set(Domain.objects.filter(code="reemploi_alimentaire"))
        services.set_visibility(
            member=member, visibility={"collective": Audience.PUBLIC} | audience, by=by
        )
    for name, mrc, kind, sector, domains, description, phase, audience in OTHERS:
        member = services.add_organization(
            network=network,
            by=by,
            name=name,
            territory=_mrc(mrc),
            kind=kind,
            sector=Sector.objects.get(code=sector),
            phase=phase,
            description=description,
        )
        member.organization.domains.set(Domain.objects.filter(code__in=domains))
        if audience:
            services.set_visibility(member=member, visibility=audience, by=by)
    # The members the network already had open their profiles to one another.
    for member in network.members.filter(directory_profile__isnull=True):
        Profile.objects.get_or_create(member=member, defaults={"visibility": OPEN_TO_MEMBERS})
    services.set_directory_options(
        network=network,
        public=True,
        intro=(
            "Les organisations du réseau du réemploi alimentaire (fictif), là où elles agissent "
            "et ce qu’elles offrent. Chaque organisation choisit ce qu’elle montre ici."
        ),
        by=by,
    )
