"""The demo network's shared resources (seed 004): a few offers and needs of its members, and
one truck-sharing agreement (the pilot's protocol, seed 000, Tableau 3) made from the engine's
proposal, signed by both sides, with three trips recorded.

Marc Tremblay's organization (Roussillon, Montérégie) lends its refrigerated truck to Hélène
Bergeron's (Estrie, a neighbouring region) for collections at farms; Camille's organization
offers its start-up guide; a need for volunteers waits for an offer. Every name is invented.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from maillage.core.models import Person
from maillage.measurement import services as measurement
from maillage.measurement.models import Network, NetworkMember, NetworkRole
from maillage.resources import services
from maillage.resources.models import Proposal, Resource

from .editions import DEMO_DOMAIN, MENTOR_SYNERGIES_ORG, MENTOR_TEAM_ORG

PROTOCOL = (
    "Le prêteur entretient le camion et tient le registre de la chaîne du froid ; "
    "l’utilisateur le rend propre, le plein fait, et note le kilométrage au départ et au "
    "retour. Tout bris ou accident est signalé au prêteur dans les 24 heures ; la franchise "
    "est partagée à parts égales."
)


def _member(network: Network, name: str) -> NetworkMember | None:
    return network.members.filter(organization__name__startswith=name).first()


def _coordinator(network: Network, member: NetworkMember, email: str) -> Person | None:
    person = Person.objects.filter(email=f"{email}@{DEMO_DOMAIN}").first()
    if person is not None:
        measurement.assign_network_role(
            network=network, person=person, kind=NetworkRole.Kind.MEMBER, member=member
        )
    return person


@transaction.atomic
def build_demo_resources(network: Network) -> None:
    """Offers, needs and one signed agreement with its uses; running it again changes nothing."""
    if Resource.objects.filter(network=network).exists():
        return
    logistics = _member(network, MENTOR_TEAM_ORG[0])
    synergies = _member(network, MENTOR_SYNERGIES_ORG[0])
    coordinating = network.members.filter(coordinators__kind=NetworkRole.Kind.MEMBER).first()
    if logistics is None or synergies is None or coordinating is None:
        return
    marc = _coordinator(network, logistics, "marc.tremblay")
    helene = _coordinator(network, synergies, "helene.bergeron")
    camille = coordinating.coordinators.filter(kind=NetworkRole.Kind.MEMBER).first().person
    if marc is None or helene is None:
        return
    today = timezone.localdate()
    start, end = today - timedelta(days=75), today + timedelta(days=290)

    truck = services.post_resource(
        network=network,
        member=logistics,
        direction="offer",
        by=marc,
        category="camion_refrigere",
        title="Camion réfrigéré 16 pieds",
        description="Hayon élévateur, deux zones de température ; disponible entre nos tournées.",
        quantity=Decimal(800),
        unit="km",
        available_from=start,
        available_until=end,
        days=["mar", "jeu"],
        cost="0,45 $/km, carburant en sus",
        insurance_required=True,
        conditions="Chauffeur avec permis de classe 3.",
        reach="neighbours",
    )
    services.post_resource(
        network=network,
        member=coordinating,
        direction="offer",
        by=camille,
        category="guide",
        title="Guide de démarrage d’une antenne locale",
        description="Étapes, budget type, modèles d’ententes avec les producteurs.",
        cost="Gratuit",
        reach="province",
    )
    services.post_resource(
        network=network,
        member=synergies,
        direction="offer",
        by=helene,
        category="cuisine",
        title="Cuisine de transformation certifiée",
        quantity=Decimal(16),
        unit="h",
        available_from=start,
        available_until=end,
        days=["lun", "mer"],
        cost="25 $/h, produits d’entretien fournis",
        reach="neighbours",
    )
    need = services.post_resource(
        network=network,
        member=synergies,
        direction="need",
        by=helene,
        category="camion_refrigere",
        title="Camion réfrigéré pour la collecte chez les producteurs",
        description="Deux collectes par semaine chez trois maraîchers, de juillet à octobre.",
        quantity=Decimal(500),
        unit="km",
        available_from=start,
        available_until=end,
        days=["mar"],
        insurance_required=True,
        reach="neighbours",
    )
    services.post_resource(
        network=network,
        member=coordinating,
        direction="need",
        by=camille,
        category="benevoles",
        title="Bénévoles pour le tri des arrivages",
        quantity=Decimal(6),
        unit="personne",
        days=["ven"],
        reach="mrc",
    )

    proposal = Proposal.objects.get(offer=truck, need=need)
    agreement = services.start_agreement(proposal=proposal, by=helene)
    agreement = services.update_agreement(
        agreement=agreement,
        by=marc,
        revision=agreement.revision,
        title="Protocole de mutualisation du camion réfrigéré",
        quantity=Decimal(500),
        unit="km",
        schedule="Mardis, de 7 h à 15 h",
        insurance="Assurance du prêteur ; l’utilisateur fournit sa preuve d’assurance responsabilité.",
        operator="Chauffeur de l’utilisateur, permis de classe 3.",
        responsibilities=PROTOCOL,
    )
    # The demo sends no e-mail (its addresses are invented).
    for person in (marc, helene):
        agreement = services.sign_agreement(
            agreement=agreement, by=person, revision=agreement.revision, notify=False
        )
    for days_ago, km, tonnes in ((60, 142, "1.2"), (32, 156, "1.6"), (4, 138, "1.1")):
        services.record_use(
            agreement=agreement,
            by=helene,
            on=today - timedelta(days=days_ago),
            quantity=Decimal(km),
            tonnes=Decimal(tonnes),
            note="Collecte chez les maraîchers",
        )
