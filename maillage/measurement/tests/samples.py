"""Objects of a network for route walkers (the site-wide outsider walk included):
`walk_samples(program)` makes the program's coordinating organization a member of a network,
shares the program with it, and returns one real pk for each integer parameter of the
measurement routes under /programmes/<pk>/."""

from __future__ import annotations

from typing import Any

from maillage.core.models import Organization
from maillage.measurement import services
from maillage.measurement.models import MemberProgram
from maillage.programs.models import Program, Role


def walk_samples(program: Program) -> dict[str, Any]:
    link = MemberProgram.objects.filter(program=program).select_related("member").first()
    if link is None:
        backbone = Organization.objects.create(name="Soutien du réseau (fictif)")
        network = services.create_network(backbone=backbone, name="Réseau de l’exemple")
        member = services.add_member(
            network=network, organization=program.coordinating_organization
        )
        coordinator = program.roles.filter(kind=Role.Kind.COORDINATOR).first().person
        link = services.attach_program(member=member, program=program, consent_by=coordinator)
    return {"member_pk": link.member_id}
