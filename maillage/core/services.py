"""Accounts: sign-up is closed, so a coordinator or a network's staff invite people by e-mail."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .audit import acting_as, record
from .errors import AccountError
from .models import AuditEntry, Person, ReminderMute
from .outbox import send_after_commit


def should_send(person: Person, kind: str) -> bool:
    """Whether `person` wants e-mails of this kind of reminder (every app that sends asks)."""
    if not person.email:
        return False
    return not ReminderMute.objects.filter(person=person, kind=kind).exists()


# Long enough that a double click or an impatient resend does not flood someone's inbox.
RESEND_DELAY = timedelta(minutes=10)


def invite_person(*, person: Person, by: Any, program: Any = None, network: Any = None) -> bool:
    """Open an account for `person` (no password yet) and e-mail them a link to choose one.

    `program` or `network` says where they are invited, for the e-mail. Resending is allowed
    once per RESEND_DELAY; someone who can already sign in gets no e-mail (AccountError).
    Returns False when an account with their e-mail already existed: it is linked to the
    person, and nothing is sent.
    """
    with acting_as(by), transaction.atomic():
        # Locked and read again: two clicks at once would otherwise send two e-mails.
        person = (
            Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
        )
        _check_invitable(person)
        email = person.email.strip().lower()
        resent = person.invited_at is not None
        user = person.user or _account_for(person, email)
        if user.has_usable_password():
            # Same address, so the same person: link the record, there is nothing to send.
            person.user = user
            person.save(update_fields=["user", "updated_at"])
            return False
        _sync_email(user, email)
        person.user = user
        person.invited_at = timezone.now()
        person.invited_by = getattr(by, "person", None)
        person.save(update_fields=["user", "invited_at", "invited_by", "updated_at"])
        place = {
            "program_id": getattr(program, "pk", None),
            "network_id": getattr(network, "pk", None),
        }
        record(
            action=AuditEntry.Action.INVITE,
            instance=person,
            changes={"email": email, "resent": resent, **place},
            program_id=place["program_id"],
        )
        from .tasks import send_invitation

        send_after_commit(send_invitation, person_id=person.pk, **place)
    return True


def invite_people(
    *, people: Any, by: Any, program: Any = None, network: Any = None
) -> tuple[int, list[str]]:
    """Invite, for the first time, each of `people` who has an e-mail and no account.

    Returns how many e-mails went out, and what stopped the others (one person's problem does
    not stop the rest)."""
    sent, problems = 0, []
    for person in people.without_account().distinct():
        try:
            sent += invite_person(person=person, by=by, program=program, network=network)
        except AccountError as error:
            problems.append(error.message)
    return sent, problems


def _check_invitable(person: Person) -> None:
    name = person.full_name
    state = person.account_state()
    if state == Person.Account.NO_EMAIL:
        raise AccountError(
            _("%(person)s n’a pas de courriel : ajoutez-en un avant de l’inviter.")
            % {"person": name}
        )
    if state == Person.Account.ACTIVE:
        raise AccountError(
            _(
                "%(person)s a déjà un compte : aucune invitation n’a été envoyée. Elle ou il se "
                "connecte avec %(email)s (ou « Mot de passe oublié » sur la page de connexion)."
            )
            % {"person": name, "email": person.user.email or person.email}
        )
    if state == Person.Account.DISABLED:
        raise AccountError(
            _(
                "Le compte de %(person)s est désactivé : demandez à l’administration de la "
                "plateforme de le réactiver."
            )
            % {"person": name}
        )
    if person.invited_at is not None and timezone.now() - person.invited_at < RESEND_DELAY:
        again = timezone.localtime(person.invited_at + RESEND_DELAY)
        raise AccountError(
            _(
                "Une invitation vient d’être envoyée à %(person)s. Pour ne pas encombrer sa boîte "
                "de réception, vous pourrez la renvoyer à partir de %(time)s."
            )
            % {"person": name, "time": formats.time_format(again, "TIME_FORMAT")}
        )


def _account_for(person: Person, email: str) -> Any:
    """The account this e-mail already opens, or a new one without a password."""
    user_model = get_user_model()
    # Case-insensitive, unlike allauth's look-up: an address typed in capitals is the same one.
    user = (
        user_model.objects.filter(email__iexact=email).order_by("pk").first()
        or user_model.objects.filter(emailaddress__email__iexact=email).order_by("pk").first()
    )
    if user is not None:
        other = Person.objects.filter(user=user).exclude(pk=person.pk).first()
        if other is not None:
            # Never say whose: that person may belong to a program this coordinator can't see.
            raise AccountError(
                _(
                    "Le courriel %(email)s est déjà celui d’un autre compte Maillage : vérifiez "
                    "l’adresse, ou demandez à l’administration de la plateforme de relier les "
                    "fiches."
                )
                % {"email": email}
            )
        if not user.is_active:
            raise AccountError(
                _(
                    "Le compte de %(person)s est désactivé : demandez à l’administration de la "
                    "plateforme de le réactiver."
                )
                % {"person": person.full_name}
            )
        return user
    username = email
    if user_model.objects.filter(username=username).exists():
        username = f"{email}-{person.pk}"
    # No password: only the e-mailed link lets someone choose one.
    return user_model.objects.create_user(
        username=username,
        email=email,
        first_name=person.first_name[:150],
        last_name=person.last_name[:150],
    )


def _sync_email(user: Any, email: str) -> None:
    """The account's address is the person's, verified: following the e-mailed link proves it,
    and nobody can sign in before following it."""
    if user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    EmailAddress.objects.filter(user=user).exclude(email__iexact=email).delete()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
