"""Submitting freezes the dossier: later data changes never alter what the assessor reads."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from maillage.accreditation import selectors, services
from maillage.accreditation.errors import AccreditationError
from maillage.accreditation.models import Dossier
from maillage.conftest import make_person
from maillage.core.models import AuditEntry
from maillage.measurement import services as measurement
from maillage.measurement.models import NetworkRole
from maillage.selection.models import Criterion

pytestmark = pytest.mark.django_db


def test_the_snapshot_keeps_the_evidence_as_it_was(submission, program_a):
    before = [e.lines for r in selectors.frozen_rows(submission) for e in r.evidence]
    Criterion.objects.filter(program=program_a).update(archived_at=timezone.now())
    submission.refresh_from_db()
    after = [e.lines for r in selectors.frozen_rows(submission) for e in r.evidence]
    assert after == before
    live = {r.criterion.code: r for r in selectors.live_rows(submission.dossier)}
    assert live["design-selection"].evidence[0].status == "missing"


def test_submitting_locks_the_dossier_and_tells_the_assessor(
    dossier, assessor, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_dossier(dossier=dossier, assessor=assessor, by=coordinator.user)
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.SUBMITTED
    assert [m.to for m in mail.outbox] == [[assessor.person.email]]
    assert "/accreditation/evaluations/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="accreditation.submitted").count() == 1
    with pytest.raises(AccreditationError):
        services.save_note(
            dossier=dossier, criterion="design-selection", comment="Trop tard", seen=0, by=None
        )


def test_a_second_submit_while_assessed_is_refused(submission, assessor, coordinator):
    with pytest.raises(AccreditationError):
        services.submit_dossier(dossier=submission.dossier, assessor=assessor, by=coordinator.user)
    assert submission.dossier.submissions.count() == 1


def test_only_an_assessor_of_a_network_the_program_shares_with(dossier, coordinator, outsider):
    from maillage.core.models import Organization

    other = measurement.create_network(
        backbone=Organization.objects.create(name="Autre soutien"), name="Autre réseau"
    )
    person = make_person("Igor", "Ailleurs")
    measurement.assign_network_role(network=other, person=person, kind=NetworkRole.Kind.STAFF)
    elsewhere = services.appoint_assessor(network=other, person=person, by=None)
    with pytest.raises(AccreditationError) as error:
        services.submit_dossier(dossier=dossier, assessor=elsewhere, by=coordinator.user)
    assert error.value.field == "assessor"


def test_a_stale_comment_is_never_overwritten(dossier, coordinator):
    services.save_note(
        dossier=dossier, criterion="design-tools", comment="Première", seen=0, by=coordinator.user
    )
    with pytest.raises(services.StaleNote) as stale:
        services.save_note(
            dossier=dossier, criterion="design-tools", comment="Seconde", seen=0, by=None
        )
    assert stale.value.current.comment == "Première"
    assert dossier.notes.get().comment == "Première"


def test_starting_a_dossier_twice_gives_the_same_one(dossier, program_a, coordinator):
    again = services.start_dossier(
        program=program_a, framework="mentorat-quebec", part="design", by=coordinator.user
    )
    assert again == dossier


def test_an_unknown_part_is_refused(program_a, coordinator):
    with pytest.raises(AccreditationError):
        services.start_dossier(
            program=program_a, framework="mentorat-quebec", part="nope", by=coordinator.user
        )


def test_a_closed_program_can_still_prepare_its_dossier(program_a, coordinator):
    from maillage.programs.models import Program

    Program.objects.filter(pk=program_a.pk).update(status=Program.Status.CLOSED)
    program_a.refresh_from_db()
    dossier = services.start_dossier(
        program=program_a, framework="mentorat-quebec", part="deploiement", by=coordinator.user
    )
    assert dossier.is_editable


def test_a_document_of_an_unknown_kind_is_refused(dossier, coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(AccreditationError) as error:
        services.add_document(
            dossier=dossier,
            criterion="design-tools",
            title="",
            upload=SimpleUploadedFile("virus.exe", b"MZ"),
            by=coordinator.user,
        )
    assert error.value.field == "upload"
