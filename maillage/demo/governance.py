"""The demo network's governance, shaped like the Complices Alimentaires' (seed 004).

Model 1 (2019): a partners' committee, a coordination committee, antenna committees and a
regional project lead, with accountability links left unclear (an antenna committee answering
to two committees, the project lead answering to no one): the checks flag them. Model 2 (2021):
the coordination committee became a provisional board, the antennas « Complices locaux », with
a learning circle and operations circles, every link stated. A board meeting with decisions, an
idea members joined, and the voice of users at the board (seed 001). Every name is invented.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from maillage.governance import services
from maillage.governance.models import Instance, Link, Seat, Version
from maillage.measurement.models import Network, NetworkRole

Kind = Instance.Kind
R, A, D = Link.Kind.REPORTS_TO, Link.Kind.ADVISES, Link.Kind.DELEGATES_TO


def _instance(version: Version, name: str) -> Instance:
    return version.instances.get(name=name)


@transaction.atomic
def build_demo_governance(network: Network) -> Version | None:
    """Models 1 and 2 of the demo network; running it again changes nothing."""
    if network.governance_versions.exists():
        return services.current_version(network)
    model_1 = services.create_version(
        network=network,
        name="Modèle 1 (2019)",
        notes="Établi avant l’incorporation, sans règlements généraux : les liens de "
        "redevabilité restent à préciser.",
    )
    add = services.add_instance
    partners = add(
        version=model_1,
        name="Comité régional des partenaires",
        kind=Kind.COMMITTEE,
        mandate="Contribuer au modèle d’affaires et aux orientations ; accélérer les démarches "
        "locales.",
    )
    coco = add(
        version=model_1,
        name="Comité de coordination",
        kind=Kind.COMMITTEE,
        mandate="Veiller au bon fonctionnement du projet et à la communication entre instances.",
    )
    antenna = add(
        version=model_1,
        name="Comités d’antenne",
        kind=Kind.COMMITTEE,
        mandate="Mettre en œuvre le plan d’action local de chaque antenne.",
    )
    lead = add(
        version=model_1,
        name="Chargée de projet régional",
        kind=Kind.STAFF,
        mandate="Coordonner le projet collectif et soutenir les chargées de projet locales.",
    )
    services.add_link(version=model_1, source=coco, target=partners, kind=A)
    services.add_link(version=model_1, source=antenna, target=coco, kind=R)
    services.add_link(version=model_1, source=antenna, target=partners, kind=R)
    seat = services.set_seats(instance=coco, kind=Seat.Kind.MEMBER, count=5)
    for name in ("Nadia Leduc", "Éric Poirier", "Sonia Gagné"):
        services.add_holder(
            seat=seat, name=name, starts_on=date(2019, 9, 15), ends_on=date(2021, 1, 31)
        )
    services.set_seats(instance=partners, kind=Seat.Kind.PARTNER, count=6)
    services.adopt_version(version=model_1, on=date(2019, 10, 1))
    del lead  # left without a link, as in 2019: the check names it

    model_2 = services.copy_version(
        version=model_1,
        name="Modèle 2 (2021)",
        notes="Le comité de coordination devient un conseil d’administration provisoire ; "
        "chaque instance sait à qui elle rend compte.",
    )
    board = _instance(model_2, "Comité de coordination")
    services.edit_instance(
        instance=board,
        name="Conseil d’administration provisoire",
        kind=Kind.BOARD,
        mandate="Orientations stratégiques, vision de développement, suivi des travaux, "
        "obligations légales et gestion financière.",
        seen=None,
    )
    lead_2 = _instance(model_2, "Chargée de projet régional")
    services.edit_instance(
        instance=lead_2,
        name="Chargée de projet du collectif",
        kind=Kind.STAFF,
        mandate="Planifier, organiser et diriger les opérations selon les orientations du "
        "collectif ; gérer les ressources humaines.",
        seen=None,
    )
    local = _instance(model_2, "Comités d’antenne")
    services.edit_instance(
        instance=local,
        name="Complices locaux",
        kind=Kind.COMMITTEE,
        mandate="Recenser les besoins et les occasions locales ; participer au plan d’action "
        "local.",
        seen=None,
    )
    for link in list(model_2.links.all()):
        services.remove_link(link=link)
    services.remove_instance(instance=_instance(model_2, "Comité régional des partenaires"))
    team = add(
        version=model_2,
        name="Équipe des Complices Alimentaires",
        kind=Kind.STAFF,
        mandate="Relier les orientations stratégiques et les réalités du terrain.",
    )
    learning = add(
        version=model_2,
        name="Cercle d’apprentissage",
        kind=Kind.CIRCLE,
        mandate="Soutenir la cohésion entre les cercles d’opérations et documenter les "
        "apprentissages.",
    )
    operations = add(
        version=model_2,
        name="Cercles d’opérations",
        kind=Kind.CIRCLE,
        mandate="Approvisionnement et distribution, plateaux de travail, mise en marché, "
        "transformation alimentaire.",
    )
    for source, target in (
        (lead_2, board),
        (team, lead_2),
        (local, board),
        (learning, board),
        (operations, learning),
    ):
        services.add_link(version=model_2, source=source, target=target, kind=R)
    for holder in board.seats.get().holders.all():
        services.remove_holder(holder=holder)  # the 2019 terms ended with the committee
    seats = services.set_seats(instance=board, kind=Seat.Kind.MEMBER, count=4)
    for name in ("Nadia Leduc", "Éric Poirier", "Sonia Gagné", "Marc-André Tremblay"):
        services.add_holder(
            seat=seats, name=name, starts_on=date(2021, 2, 1), ends_on=date(2027, 1, 31)
        )
    users = services.set_seats(instance=board, kind=Seat.Kind.USER, count=1)
    services.add_holder(
        seat=users, name="Léa Fortin", starts_on=date(2021, 2, 1), ends_on=date(2027, 1, 31)
    )
    staff_seat = services.set_seats(instance=board, kind=Seat.Kind.STAFF, count=1)
    services.add_holder(seat=staff_seat, name="Julie Bergeron", starts_on=date(2021, 2, 1))
    services.adopt_version(version=model_2, on=date(2021, 2, 1))

    meeting = services.record_meeting(
        instance=board,
        held_on=date(2026, 3, 12),
        attendees="Nadia Leduc\nÉric Poirier\nSonia Gagné\nLéa Fortin\nJulie Bergeron",
        notes="Bilan du partage du camion réfrigéré ; protocole des points de vente.",
    )
    done = services.add_decision(
        meeting=meeting,
        text="Adopter le protocole de partage du camion réfrigéré entre les antennes.",
        follow_up_by="Julie Bergeron",
        due_on=date(2026, 4, 1),
    )
    services.set_decision_status(decision=done, done=True)
    services.add_decision(
        meeting=meeting,
        text="Proposer deux nouvelles ententes de points de vente d’ici l’été.",
        follow_up_by="Complices locaux",
        due_on=date(2026, 6, 30),
    )
    camille = network.roles.filter(kind=NetworkRole.Kind.MEMBER).order_by("pk").first()
    if camille is not None:
        services.propose_idea(
            network=network,
            by=camille.person,
            title="Mentorat entre antennes",
            description="Jumeler une antenne en activité avec une antenne en incubation pour "
            "un an, avec trois visites.",
        )
    return model_2
