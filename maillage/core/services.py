"""Writes of the directory: find or create an organization, a person, a team; accounts (sign-up
is closed, so a coordinator or a network's staff invite people by e-mail)."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Sequence
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .audit import acting_as, record, record_bulk
from .errors import AccountError, DomainError
from .models import (
    AuditEntry,
    NotificationPreference,
    Organization,
    Person,
    ReminderMute,
    Sector,
    Team,
)
from .outbox import send_after_commit

# --- Find or create ------------------------------------------------------------------------------
# One copy of each rule for every app that meets a name or an e-mail: an application, a decision,
# a potential mentor, an import, a role given by e-mail, a network's new member.


def name_key(name: str) -> str:
    """How two spellings of one organization's or team's name compare: case, accents,
    apostrophes (’ or ') and runs of spaces do not count. « Cuisine  collective Levis » is
    « Cuisine collective Lévis »; legal words (inc., OBNL) still count, since two organizations
    may differ by them only (intake's duplicate hints are looser, but they only flag)."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return " ".join(text.casefold().split())


def _tidy(name: str) -> str:
    return " ".join((name or "").split())


def find_organization(*, name: str) -> Organization | None:
    """The directory's organization of this name (see `name_key`), the oldest if several.

    The same spelling is looked up first (one query); other spellings are compared in Python,
    which SQLite cannot do for accents."""
    key = name_key(name)
    if not key:
        return None
    found = Organization.objects.filter(name__iexact=_tidy(name)).order_by("pk").first()
    if found is not None:
        return found
    pk = next(
        (
            pk
            for pk, other in Organization.objects.order_by("pk").values_list("pk", "name")
            if name_key(other) == key
        ),
        None,
    )
    return Organization.objects.get(pk=pk) if pk is not None else None


def find_sector(*, text: str) -> Sector | None:
    """The sector of the reference data written as its code or its French or English name
    (compared as `name_key` does: « communautaire », « Community », « Économie sociale »)."""
    key = name_key(text)
    if not key:
        return None
    for sector in Sector.objects.all():
        spellings = (sector.code, sector.name_fr, sector.name_en)
        if key in {name_key(spelling) for spelling in spellings if spelling}:
            return sector
    return None


def find_or_create_organization(
    *,
    name: str,
    territory: Any = None,
    sector: Sector | None = None,
    existing: Organization | None = None,
    error: type[DomainError] = DomainError,
) -> tuple[Organization, bool]:
    """The organization of this name, or a new one in `territory`; True when created.

    Rules: the name is matched without case, accents, apostrophe style or extra spaces
    (`name_key`); `existing` is one the caller already found (an import looks names up once).
    A known organization keeps its name, sector and territory; it only gets `territory` or
    `sector` when it had none. A new one is validated (`error` carries the first problem) and
    saved.
    """
    name = _tidy(name)
    if not name:
        raise error(_("Indiquez le nom de l’organisation."), "name")
    organization = existing or find_organization(name=name)
    if organization is None:
        organization = Organization(name=name, territory=territory, sector=sector)
        error.check(organization)
        organization.save()
        return organization, True
    filled = []
    if territory is not None and organization.territory_id is None:
        organization.territory = territory
        filled.append("territory")
    if sector is not None and organization.sector_id is None:
        organization.sector = sector
        filled.append("sector")
    if filled:
        organization.save(update_fields=[*filled, "updated_at"])
    return organization, False


def preferred_person(people: Iterable[Person], *, prefer: Collection[int] = ()) -> Person | None:
    """Of several records sharing one e-mail, the one to use: one the caller already works with
    (`prefer`, their ids) so that nothing lands on another program's copy, then one who can sign
    in, then the oldest."""
    return min(people, key=lambda p: (p.pk not in prefer, p.user_id is None, p.pk), default=None)


def find_person(*, email: str, prefer: QuerySet[Person] | None = None) -> Person | None:
    """The person Maillage knows by this e-mail (case and outer spaces ignored), or None.

    `prefer`: the people the caller already works with (a program's, a network's); it is asked
    only when several records share the address (see `preferred_person`)."""
    email = (email or "").strip()
    if not email:
        return None
    people = list(Person.objects.filter(email__iexact=email).order_by("pk"))
    if len(people) < 2 or prefer is None:
        return preferred_person(people)
    ids = set(prefer.filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True))
    return preferred_person(people, prefer=ids)


def find_or_create_person(
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    organization: Organization | None = None,
    position: str = "",
    language: str | None = None,
    languages: Sequence[str] = (),
    working_style: str | None = None,
    availability: Sequence[str] = (),
    can_decide: bool | None = None,
    existing: Person | None = None,
    prefer: QuerySet[Person] | None = None,
    among: QuerySet[Person] | None = None,
    overwrite: bool = False,
    require_last_name: bool = True,
    error: type[DomainError] = DomainError,
) -> tuple[Person, bool]:
    """The person with this e-mail, or a new one; True when created.

    Rules:
    - One record per e-mail: matched without case or outer spaces (`find_person`, with
      `prefer` deciding between old duplicates); `existing` is one the caller already found.
    - A known person: each detail given (not empty) fills a field that is empty; it replaces
      one only with `overwrite` (an import of the program's own people: the file is their
      record). The e-mail as stored, the account and the invitation are never changed, and
      `can_decide` is only set with `overwrite` (an unticked box is not an answer). Nothing of
      the record is copied anywhere: the caller gets the person, and shows what it showed.
    - Validation (`error` carries the first problem): a new person whole, a known one only in
      the fields this call sets (the rest is not this caller's to fix), never the account or
      the organization (the caller's own object). `require_last_name=False` lets a one-word
      contact name of an application through.
    - `among`: the only people who may be reused (those the caller already sees). Anyone else
      with this e-mail is left alone and a new record is made with what was given, so that
      typing an address neither reveals nor reaches someone the caller cannot see.
    - Saved only when something changed (the audit trail records it).
    """
    given: dict[str, Any] = {
        "first_name": (first_name or "").strip(),
        "last_name": (last_name or "").strip(),
        "phone": (phone or "").strip(),
        "organization": organization,
        "position": (position or "").strip(),
        "language": language or "",
        "languages": list(languages or []),
        "working_style": working_style or "",
        "availability": list(availability or []),
    }
    given = {name: value for name, value in given.items() if value not in ("", None, [])}
    person = existing
    if person is None and among is not None:
        address = (email or "").strip()
        person = preferred_person(among.filter(email__iexact=address)) if address else None
    elif person is None:
        person = find_person(email=email, prefer=prefer)
    created = person is None
    if person is None:
        person = Person(email=(email or "").strip(), **given)
        if can_decide is not None:
            person.can_decide = can_decide
        changed = set()
    else:
        changed = set()
        for name, value in given.items():
            if overwrite or getattr(person, name) in ("", None, []):
                if getattr(person, name) != value:
                    setattr(person, name, value)
                    changed.add(name)
        if overwrite and can_decide is not None and person.can_decide != can_decide:
            person.can_decide = can_decide
            changed.add("can_decide")
        if not changed:
            return person, False
    skip = {"user", "organization"}
    if not require_last_name and not person.last_name:
        skip.add("last_name")
    if not created:
        # A known record is checked only where this call writes.
        skip |= {field.name for field in Person._meta.fields} - changed
    error.check(person, exclude=sorted(skip))
    person.save()
    return person, created


def find_or_create_team(
    *,
    name: str,
    among: Sequence[QuerySet[Team]],
    organization: Organization | None = None,
    error: type[DomainError] = DomainError,
) -> tuple[Team, bool]:
    """The team of this name among `among` (searched in order), or a new one; True when created.

    Rules: the name is matched as an organization's (`name_key`); only the teams the caller
    names are reused (its program's, the person's own), never another program's team of the
    same name. A known team is not changed; a new one gets `organization` and is validated.
    """
    key = name_key(name)
    if not key:
        raise error(_("Indiquez le nom de l’équipe."), "team")
    for teams in among:
        team = next((t for t in teams.order_by("pk") if name_key(t.name) == key), None)
        if team is not None:
            return team, False
    team = Team(name=_tidy(name), organization=organization)
    error.check(team)
    team.save()
    return team, True


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
        if person.user is None and _taken_by_another(person, email):
            # The address opens someone else's account (another program's record of the same
            # person). Saying so would tell this coordinator that the address is on the
            # platform: the invitation is noted as sent, and that person, invited to join the
            # program, signs in with the account they have.
            _note_invited(
                person, by=by, email=email, resent=resent, program=program, network=network
            )
            return True
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


def _taken_by_another(person: Person, email: str) -> bool:
    user_model = get_user_model()
    users = user_model.objects.filter(email__iexact=email) | user_model.objects.filter(
        emailaddress__email__iexact=email
    )
    return Person.objects.filter(user__in=users).exclude(pk=person.pk).exists()


def _note_invited(
    person: Person, *, by: Any, email: str, resent: bool, program: Any, network: Any
) -> None:
    person.invited_at = timezone.now()
    person.invited_by = getattr(by, "person", None)
    person.save(update_fields=["invited_at", "invited_by", "updated_at"])
    place = {"program_id": getattr(program, "pk", None), "network_id": getattr(network, "pk", None)}
    record(
        action=AuditEntry.Action.INVITE,
        instance=person,
        changes={"email": email, "resent": resent, "account_elsewhere": True, **place},
        program_id=place["program_id"],
    )


def merge_person(*, stand_in: Person, into: Person) -> Person:
    """Give everything that points at `stand_in` (roles, team memberships, and the records of
    the floors above) to `into`, the same person's own record, then delete the stand-in if
    nothing points at it any more. A row that would break a uniqueness rule (the same role
    twice) stays with the stand-in, which is then kept. `into`'s details are not changed."""
    kept = False
    with transaction.atomic():
        for relation in Person._meta.related_objects:
            if relation.many_to_many or not relation.field.concrete:
                continue
            model, name = relation.related_model, relation.field.name
            for row in model._default_manager.filter(**{name: stand_in}):
                try:
                    with transaction.atomic():
                        model._default_manager.filter(pk=row.pk).update(**{name: into})
                        record_bulk(
                            action="update",
                            model=model,
                            ids=[row.pk],
                            by=None,
                            changes={name: [stand_in.pk, into.pk]},
                        )
                except IntegrityError:
                    kept = True
        if not kept:
            stand_in.delete()
    return into


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
        # An account of another person's record never gets here (`_taken_by_another`).
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


# Mailboxes that name a role, not a person: never a first name.
ROLE_MAILBOXES = {
    "admin",
    "administrateur",
    "administratrice",
    "administration",
    "administrator",
    "root",
    "info",
    "contact",
    "support",
    "webmaster",
    "postmaster",
    "noreply",
    "no-reply",
    "bonjour",
    "hello",
}


def names_from_email(email: str) -> tuple[str, str]:
    """A first and a last name guessed from an e-mail, for an account opened without them:
    « marie.tremblay@… » gives Marie Tremblay. A role mailbox (« admin@exemple.org ») names
    no one: it gives « Administration » and the domain, to be corrected in « Mon compte »."""
    local, _at, domain = email.strip().partition("@")
    words = [
        "-".join(piece.capitalize() for piece in word.split("-"))
        for word in local.split(".")
        if word and not word.isdigit()
    ]
    if not words or words[0].lower() in ROLE_MAILBOXES:
        label = domain.split(".")[0] if domain else ""
        return _("Administration"), label.capitalize()
    return words[0], " ".join(words[1:])


def person_for_account(user: Any) -> Person:
    """The person behind an account, created when the account has none yet (the platform's
    first administrator opened by `first_admin` before this existed), named from the account
    or, failing that, from its e-mail."""
    person = Person.objects.filter(user=user).first()
    if person is None:
        email = user.email or user.get_username()
        first, last = names_from_email(email)
        person = Person.objects.create(
            user=user,
            first_name=user.first_name or first,
            last_name=user.last_name or last,
            email=email,
        )
    return person


def open_first_admin(*, email: str = "", first_name: str = "", last_name: str = "") -> Any:
    """The platform's first administrator: an account without a password yet, who chooses one
    through a one-time link (`emails.password_link`), so that no password ever goes through a
    terminal or a shell history. Without `email`, the administrator opened earlier whose link
    was not followed yet, if any (a new link for them). Refused once an administrator can sign
    in: they open the other accounts.

    Their person is named `first_name` `last_name`, or from the e-mail (`names_from_email`)
    when not given: never after the « admin » of a role mailbox."""
    user_model = get_user_model()
    superusers = user_model.objects.filter(is_superuser=True, is_active=True).order_by("pk")
    if any(user.has_usable_password() for user in superusers):
        raise AccountError(
            _(
                "La plateforme a déjà un compte d’administration : connectez-vous avec lui, ou "
                "utilisez « manage.py changepassword » si le mot de passe est perdu."
            )
        )
    email = email.strip().lower()
    if not email:
        pending = superusers.first()
        if pending is None:
            raise AccountError(
                _("Donnez le courriel de la première personne à l’administration."), field="email"
            )
        if first_name or last_name:
            _name_admin(pending, pending.email, first_name, last_name)
        return pending
    try:
        validate_email(email)
    except ValidationError as error:
        raise AccountError(
            _("« %(email)s » n’est pas un courriel valide.") % {"email": email}
        ) from error
    with transaction.atomic():
        user = (
            user_model.objects.filter(email__iexact=email).order_by("pk").first()
            or user_model.objects.filter(username=email).first()
        )
        if user is not None and user.has_usable_password():
            raise AccountError(
                _(
                    "Le compte %(email)s existe déjà et a un mot de passe : utilisez « manage.py "
                    "createsuperuser » avec un autre courriel."
                )
                % {"email": email}
            )
        if user is None:
            user = user_model.objects.create_user(username=email, email=email, password=None)
        user.is_staff = user.is_superuser = user.is_active = True
        user.save()
        _sync_email(user, email)
        _name_admin(user, email, first_name, last_name)
        record(
            action=AuditEntry.Action.INVITE,
            instance=user,
            changes={"email": email, "superuser": True},
        )
    return user


def _name_admin(user: Any, email: str, first_name: str, last_name: str) -> Person:
    """Give the first administrator a person with her name: the one already known by this
    e-mail without an account, or a new one."""
    guess = names_from_email(email)
    first = " ".join(first_name.split()) or user.first_name or guess[0]
    last = " ".join(last_name.split()) or user.last_name or guess[1]
    user.first_name, user.last_name = first[:150], last[:150]
    user.save(update_fields=["first_name", "last_name"])
    person = (
        Person.objects.filter(user=user).first()
        or Person.objects.filter(email__iexact=email, user__isnull=True).order_by("pk").first()
        or Person(email=email)
    )
    person.user = user
    if first_name.strip() or not person.first_name:
        person.first_name = first[:100]
    if last_name.strip() or not person.last_name:
        person.last_name = last[:100]
    person.save()
    return person


# --- Directory pages -----------------------------------------------------------------------------
# A coordinator keeps organizations and people up to date in pages; these are their writes.

ORGANIZATION_FIELDS = ("name", "kind", "sector", "territory", "phase", "website", "description")
PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "organization",
    "position",
    "can_decide",
    "language",
    "languages",
    "working_style",
    "availability",
    "expertise",
)


class StaleEdit(DomainError):
    """Someone else saved the record after this page was opened."""


def _check_fresh(instance: Any, seen: Any, error: type[DomainError]) -> None:
    # Compared to the second: a date sent through a form loses its microseconds.
    if seen is None or instance.updated_at is None:
        return
    if instance.updated_at.replace(microsecond=0) > seen.replace(microsecond=0):
        raise StaleEdit(
            _(
                "Quelqu’un d’autre a modifié cette fiche pendant que vous la lisiez : rien n’a "
                "été enregistré. Vos réponses sont toujours là ; comparez-les avec la fiche à jour "
                "(ouvrez-la dans un autre onglet) avant d’enregistrer de nouveau."
            )
        )


class DuplicateOrganization(DomainError):
    """An organization of this name already exists: `existing` is offered instead."""

    def __init__(self, message: str, existing: Organization) -> None:
        super().__init__(message, "name")
        self.existing = existing


def create_organization(*, by: Any, program_id: int | None = None, **fields: Any) -> Organization:
    """A new organization of the directory, unless one of this name exists (`find_organization`,
    the import's rule): then DuplicateOrganization names it, and nothing is created.

    `program_id`: the program whose page created it, kept in its audit entry so that this
    program finds it again before anyone belongs to it."""
    fields = {name: value for name, value in fields.items() if name in ORGANIZATION_FIELDS}
    fields["name"] = _tidy(fields.get("name", ""))
    existing = find_organization(name=fields["name"])
    if existing is not None:
        raise DuplicateOrganization(
            _(
                "L’organisation « %(name)s » existe déjà : choisissez-la plutôt que d’en créer "
                "une deuxième."
            )
            % {"name": existing.name},
            existing,
        )
    organization = Organization(**fields)
    DomainError.check(organization)
    with acting_as(by), transaction.atomic():
        organization.program_id = program_id  # read by the audit trail only
        organization.save()
    return organization


def update_organization(
    *, organization: Organization, by: Any, seen: Any = None, **fields: Any
) -> Organization:
    """Change an organization's details; a name taken by another organization is refused."""
    fields = {name: value for name, value in fields.items() if name in ORGANIZATION_FIELDS}
    if "name" in fields:
        fields["name"] = _tidy(fields["name"])
        other = find_organization(name=fields["name"])
        if other is not None and other.pk != organization.pk:
            raise DuplicateOrganization(
                _("Une autre organisation s’appelle déjà « %(name)s ».") % {"name": other.name},
                other,
            )
    with acting_as(by), transaction.atomic():
        organization = Organization.objects.select_for_update().get(pk=organization.pk)
        _check_fresh(organization, seen, DomainError)
        for name, value in fields.items():
            setattr(organization, name, value)
        DomainError.check(organization)
        organization.save()
    return organization


def update_profile(
    *, person: Person, by: Any, seen: Any = None, error: type[DomainError] = DomainError, **fields
) -> Person:
    """Change what matching reads of a person (contact, organization, languages, working style,
    availability, expertise). The e-mail and the account are not changed here: they open the
    person's account."""
    fields = {name: value for name, value in fields.items() if name in PROFILE_FIELDS}
    with acting_as(by), transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        _check_fresh(person, seen, error)
        for name, value in fields.items():
            setattr(person, name, value)
        error.check(person, exclude=["user"])
        person.save()
    return person


def set_notification_preferences(
    *, person: Person, by: Any, **choices: str
) -> NotificationPreference:
    """Save how `person` wants e-mails for each topic given (« messages », « alerts »)."""
    unknown = set(choices) - set(NotificationPreference.TOPICS)
    if unknown:
        raise ValueError(sorted(unknown))
    with acting_as(by), transaction.atomic():
        preference, _created = NotificationPreference.objects.select_for_update().get_or_create(
            person=person
        )
        for topic, when in choices.items():
            setattr(preference, topic, when)
        DomainError.check(preference)
        preference.save()
    return preference


def unsubscribe(*, person: Person, topic: str) -> NotificationPreference:
    """The one-click link of an e-mail: no more e-mails of `topic` (no one is signed in: the
    audit trail records it without an actor, as the person's own preference change)."""
    preference = set_notification_preferences(
        person=person, by=None, **{topic: NotificationPreference.When.NEVER}
    )
    record(
        action="notifications.unsubscribed",
        instance=preference,
        changes={"topic": topic},
    )
    return preference
