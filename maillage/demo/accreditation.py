"""The demo's accreditation: the finished 2025 edition prepares its *Design* dossier (Mentorat
Québec), half filled from its own data, and an assessor of the demo network has reviewed it.

Julie Bergeron (the network's staff) appointed Geneviève Lachance, of the network's steering
committee, as assessor. Camille submitted the dossier as the data left it, two criteria of four
evidenced: selection criteria and adapted tools are shown by the program's data; inclusion
objectives and training are not (the edition tracked three groups without fixing objectives, and
trained its mentors in a room with no record of who came: `demo/inclusion.py`,
`demo/training.py`). Geneviève rated each criterion and sent the dossier back, asking for that
evidence, so that the coordinator's walk-through starts from the missing evidence. Every name is
invented.
"""

from __future__ import annotations

from django.db import transaction

from maillage.accreditation import services
from maillage.accreditation.models import Dossier
from maillage.core.outbox import held
from maillage.measurement import services as measurement
from maillage.measurement.models import Network, NetworkRole
from maillage.programs.models import Program, Role

from .editions import PAST_DEMO_TITLE, _person

RATINGS = {
    "design-selection": (
        "met",
        "Sept critères écrits et pondérés, annoncés dans le formulaire d’intérêt.",
    ),
    "design-inclusion": (
        "not_met",
        "Trois groupes suivis, mais aucun objectif chiffré : fixez-les à partir du portrait "
        "de cette première année.",
    ),
    "design-tools": ("exemplary", "Entente complète en six points et outils partagés."),
    "design-training": (
        "not_met",
        "L’atelier sur les biais est mentionné, mais rien ne montre qui l’a suivi, ni "
        "côté mentor ni côté personnes mentorées.",
    ),
}


@transaction.atomic
def build_demo_accreditation(network: Network) -> Dossier | None:
    """Once: running it again changes nothing. No e-mail leaves for these invented people."""
    past = Program.objects.filter(title=PAST_DEMO_TITLE).first()
    if past is None:
        return None
    existing = Dossier.objects.filter(program=past, framework="mentorat-quebec", part="design")
    if existing.exists():
        return existing.first()
    camille = past.roles.filter(kind=Role.Kind.COORDINATOR).order_by("pk").first().person
    julie = network.roles.filter(kind=NetworkRole.Kind.STAFF).order_by("pk").first().person
    genevieve = _person(
        "Geneviève",
        "Lachance",
        network.backbone,
        login=True,
        position="Évaluatrice en mentorat inclusif (fictif)",
    )
    with held():
        measurement.assign_network_role(
            network=network, person=genevieve, kind=NetworkRole.Kind.STEERING
        )
        assessor = services.appoint_assessor(network=network, person=genevieve, by=julie.user)
        dossier = services.start_dossier(
            program=past, framework="mentorat-quebec", part="design", by=camille.user
        )
        services.save_note(
            dossier=dossier,
            criterion="design-selection",
            comment=(
                "Les critères du projet pilote (tableau 2), pondérés par le comité "
                "consultatif avant l’ouverture du formulaire."
            ),
            seen=0,
            by=camille.user,
        )
        submission = services.submit_dossier(dossier=dossier, assessor=assessor, by=camille.user)
        for criterion, (value, comment) in RATINGS.items():
            services.rate_criterion(
                submission=submission,
                criterion=criterion,
                value=value,
                comment=comment,
                by=genevieve.user,
            )
        services.send_back(
            submission=submission,
            comment=(
                "Dossier solide sur la sélection et les outils. Ajoutez la liste des formations "
                "données (biais inconscients, rôle de mentor·e) et qui les a suivies, et vos "
                "objectifs d’inclusion, puis soumettez à nouveau."
            ),
            by=genevieve.user,
        )
    dossier.refresh_from_db()
    return dossier
