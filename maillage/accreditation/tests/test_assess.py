"""The assessor rates each criterion, sends back or decides; the decision has a level and an
expiry, and the coordination hears of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from maillage.accreditation import selectors, services
from maillage.accreditation.errors import AccreditationError
from maillage.accreditation.models import Dossier, Level, Submission

from .conftest import rate_all

pytestmark = pytest.mark.django_db


def _decide(submission, by, **kw):
    args = {
        "accredited": True,
        "level": Level.FULL,
        "expires_on": timezone.localdate() + timedelta(days=365),
        "comment": "",
    }
    args.update(kw)
    return services.decide(submission=submission, by=by, **args)


def test_deciding_needs_every_criterion_rated(submission, assessor):
    with pytest.raises(AccreditationError):
        _decide(submission, assessor.person.user)
    rate_all(submission, assessor.person.user)
    decided = _decide(submission, assessor.person.user)
    assert decided.outcome == Submission.Outcome.ACCREDITED
    assert decided.level == Level.FULL
    submission.dossier.refresh_from_db()
    assert submission.dossier.status == Dossier.Status.ACCREDITED


def test_the_coordination_hears_of_the_decision(
    submission, assessor, coordinator, django_capture_on_commit_callbacks
):
    rate_all(submission, assessor.person.user)
    with django_capture_on_commit_callbacks(execute=True):
        _decide(submission, assessor.person.user)
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert "Accréditation complète" in mail.outbox[0].body


def test_a_refusal_needs_reasons(submission, assessor):
    rate_all(submission, assessor.person.user, value="not_met")
    with pytest.raises(AccreditationError) as error:
        _decide(submission, assessor.person.user, accredited=False, level="")
    assert error.value.field == "comment"
    _decide(submission, assessor.person.user, accredited=False, level="", comment="Trop tôt.")
    submission.refresh_from_db()
    assert (submission.outcome, submission.level, submission.expires_on) == ("refused", "", None)


def test_an_expiry_in_the_past_is_refused(submission, assessor):
    rate_all(submission, assessor.person.user)
    with pytest.raises(AccreditationError) as error:
        _decide(submission, assessor.person.user, expires_on=timezone.localdate())
    assert error.value.field == "expires_on"


def test_sent_back_the_dossier_opens_again_and_a_new_submission_starts(
    submission, assessor, coordinator
):
    services.rate_criterion(
        submission=submission,
        criterion="design-training",
        value="not_met",
        comment="Aucune preuve de formation.",
        by=assessor.person.user,
    )
    services.send_back(
        submission=submission, comment="Ajoutez les formations.", by=assessor.person.user
    )
    dossier = Dossier.objects.get(pk=submission.dossier_id)
    assert dossier.status == Dossier.Status.CHANGES and dossier.is_editable
    again = services.submit_dossier(dossier=dossier, assessor=assessor, by=coordinator.user)
    assert again.number == 2
    assert not again.ratings.exists()
    assert selectors.frozen_rows(submission)[3].rating.comment == "Aucune preuve de formation."


def test_a_finished_assessment_no_longer_changes(submission, assessor):
    rate_all(submission, assessor.person.user)
    _decide(submission, assessor.person.user)
    with pytest.raises(AccreditationError):
        services.rate_criterion(
            submission=submission,
            criterion="design-tools",
            value="exemplary",
            comment="",
            by=assessor.person.user,
        )


def test_an_assessor_with_a_pending_dossier_keeps_the_mandate(submission, assessor, staff):
    with pytest.raises(AccreditationError):
        services.end_assessor(assessor=assessor, by=staff.user)


def test_only_people_of_the_network_are_appointed(network, staff):
    from maillage.conftest import make_person

    stranger = make_person("Sam", "Inconnu")
    with pytest.raises(AccreditationError):
        services.appoint_assessor(network=network, person=stranger, by=staff.user)
