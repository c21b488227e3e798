"""A usage agreement is in force once each side's coordinator has confirmed the same terms."""

from __future__ import annotations

from datetime import date

import pytest

from maillage.core.locking import StaleEdit
from maillage.core.models import AuditEntry
from maillage.resources import services
from maillage.resources.errors import ResourceError
from maillage.resources.models import Agreement, Proposal

pytestmark = pytest.mark.django_db


def test_a_proposal_becomes_a_draft_filled_from_the_offer_and_the_need(
    agreement, rosalie, benoit, members
):
    assert agreement.status == Agreement.Status.DRAFT
    assert (
        agreement.lender == members["beauharnois"] and agreement.borrower == members["roussillon"]
    )
    assert agreement.borrower_contact == rosalie and agreement.lender_contact == benoit
    assert agreement.cost == "0,45 $/km"
    assert (agreement.starts_on, agreement.ends_on) == (date(2026, 1, 1), date(2026, 12, 31))
    assert agreement.proposal.status == Proposal.Status.AGREED


def test_preparing_twice_makes_one_draft(truck_need, rosalie, benoit):
    proposal = truck_need.as_need.get()
    first = services.start_agreement(proposal=proposal, by=rosalie)
    again = services.start_agreement(proposal=proposal, by=benoit)
    assert first == again and Agreement.objects.count() == 1


def test_someone_outside_the_pair_cannot_prepare_it(truck_need, helene):
    with pytest.raises(ResourceError):
        services.start_agreement(proposal=truck_need.as_need.get(), by=helene)


def test_both_sides_sign_and_the_signer_and_time_are_kept(agreement, rosalie, benoit):
    one = services.sign_agreement(agreement=agreement, by=rosalie, revision=agreement.revision)
    assert one.status == Agreement.Status.DRAFT
    assert one.borrower_signed_by == rosalie and one.borrower_signed_at is not None
    both = services.sign_agreement(agreement=one, by=benoit, revision=one.revision)
    assert both.status == Agreement.Status.SIGNED
    assert both.lender_signed_by == benoit and both.signed_at is not None
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "agreement.signed_by_borrower",
        "agreement.signed_by_lender",
        "agreement.signed",
    } <= actions


def test_a_double_click_signs_once(agreement, rosalie):
    services.sign_agreement(agreement=agreement, by=rosalie, revision=agreement.revision)
    services.sign_agreement(agreement=agreement, by=rosalie, revision=agreement.revision)
    agreement.refresh_from_db()
    assert agreement.signatures() == 1 and agreement.status == Agreement.Status.DRAFT
    assert AuditEntry.objects.filter(action="agreement.signed_by_borrower").count() == 1


def test_one_side_cannot_sign_for_the_other(agreement, rosalie, helene):
    with pytest.raises(ResourceError):
        services.sign_agreement(
            agreement=agreement, by=rosalie, revision=agreement.revision, side="lender"
        )
    with pytest.raises(ResourceError):
        services.sign_agreement(agreement=agreement, by=helene, revision=agreement.revision)


def test_a_change_after_one_signature_voids_it(agreement, rosalie, benoit):
    signed_once = services.sign_agreement(
        agreement=agreement, by=rosalie, revision=agreement.revision
    )
    changed = services.update_agreement(
        agreement=signed_once, by=benoit, revision=signed_once.revision, cost="0,60 $/km"
    )
    assert changed.signatures() == 0
    assert AuditEntry.objects.filter(action="agreement.signatures_voided").exists()


def test_signing_terms_read_before_a_change_is_refused(agreement, rosalie, benoit):
    read = agreement.revision
    services.update_agreement(agreement=agreement, by=benoit, revision=read, cost="0,60 $/km")
    with pytest.raises(StaleEdit):
        services.sign_agreement(
            agreement=Agreement.objects.get(pk=agreement.pk), by=rosalie, revision=read
        )
    assert Agreement.objects.get(pk=agreement.pk).signatures() == 0


def test_a_stale_edit_of_the_terms_overwrites_nothing(agreement, rosalie, benoit):
    read = agreement.revision
    services.update_agreement(agreement=agreement, by=benoit, revision=read, cost="A")
    with pytest.raises(StaleEdit):
        services.update_agreement(
            agreement=Agreement.objects.get(pk=agreement.pk), by=rosalie, revision=read, cost="B"
        )
    assert Agreement.objects.get(pk=agreement.pk).cost == "A"


def test_a_signed_agreement_is_not_edited_but_can_be_ended(signed, rosalie):
    with pytest.raises(ResourceError):
        services.update_agreement(agreement=signed, by=rosalie, revision=signed.revision, cost="x")
    ended = services.end_agreement(agreement=signed, by=rosalie, reason="Camion vendu")
    assert ended.status == Agreement.Status.ENDED and ended.end_reason == "Camion vendu"


def test_cancelling_a_draft_frees_the_need_and_never_proposes_that_pair_again(
    agreement, rosalie, helene, network, members
):
    from .conftest import post_truck

    services.end_agreement(agreement=agreement, by=rosalie)
    assert Proposal.objects.get(pk=agreement.proposal_id).status == Proposal.Status.DECLINED
    assert not Proposal.objects.filter(status=Proposal.Status.PROPOSED).exists()
    # The need is open again: another antenna's truck is proposed to it, not the first one.
    other = post_truck(network, members["hsl"], helene, direction="offer")
    proposed = Proposal.objects.get(status=Proposal.Status.PROPOSED)
    assert (proposed.offer, proposed.need) == (other, agreement.need)


def test_the_other_side_is_told_by_email_when_one_has_signed(
    agreement, rosalie, benoit, mailoutbox, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_agreement(agreement=agreement, by=rosalie, revision=agreement.revision)
    assert [m.to for m in mailoutbox] == [[benoit.email]]
    assert "signer" in mailoutbox[0].subject
