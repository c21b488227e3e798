"""Objects of accreditation for route walkers (the site-wide outsider walk included):
`walk_samples(program)` starts the program's Design dossier with a document, shares the
program with a network whose assessor got it, and returns a real pk for each integer
parameter of the accreditation routes under /programmes/<pk>/."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from maillage.accreditation import services
from maillage.accreditation.models import Assessor
from maillage.conftest import make_person
from maillage.measurement.models import Network, NetworkRole
from maillage.measurement.tests.samples import walk_samples as share
from maillage.programs.models import Program, Role


def walk_samples(program: Program) -> dict[str, Any]:
    share(program)
    network = Network.objects.filter(members__programs__program=program).first()
    assessor = Assessor.objects.filter(network=network).first()
    if assessor is None:
        person = make_person("Éva", "Luatrice")
        network.roles.create(person=person, kind=NetworkRole.Kind.STEERING)
        assessor = services.appoint_assessor(network=network, person=person, by=None)
    coordinator = program.roles.filter(kind=Role.Kind.COORDINATOR).first().person
    dossier = services.start_dossier(
        program=program, framework="mentorat-quebec", part="design", by=coordinator.user
    )
    document = services.add_document(
        dossier=dossier,
        criterion="design-training",
        title="Formations",
        upload=SimpleUploadedFile("formations.pdf", b"%PDF-1.4 sample"),
        by=coordinator.user,
    )
    submission = services.submit_dossier(dossier=dossier, assessor=assessor, by=coordinator.user)
    return {
        "dossier_pk": dossier.pk,
        "doc_pk": document.pk,
        "sub_pk": submission.pk,
        "assessor": assessor,
    }
