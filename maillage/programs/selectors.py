"""Reads that span several models (the dashboard)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from maillage.core.models import AuditEntry, Organization, Person

from .models import Consent, Program, Role
from .signals import dashboard_elsewhere, dashboard_todo, people_known


def account_person(user: Any, roles: dict[int, list[Role]] | None = None) -> Person | None:
    """The person behind a signed-in account, None without one. Taken from `roles` (the
    account's roles, each loaded with its person) when there are some, and kept on the account
    as `user.person` keeps it: the receivers of « Mes programmes » and the page header then ask
    for it without a query."""
    if not getattr(user, "is_authenticated", False):
        return None
    field = Person._meta.get_field("user").remote_field
    if not field.is_cached(user):
        person = next((r.person for rs in (roles or {}).values() for r in rs), None)
        if person is not None:
            field.set_cached_value(user, person)
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def dashboard_rows(*, user: Any) -> list[dict[str, Any]]:
    """Each program the user sees, their roles in it, and what waits for them there.

    The receivers of `dashboard_todo` get the facts loaded here (`programs`, `roles`,
    `person`) and answer for every program at once: the page costs the same number of queries
    at one program as at ten (maillage/tests/test_page_queries.py)."""
    programs = list(Program.objects.visible_to(user).select_related("coordinating_organization"))
    roles: dict[int, list[Role]] = {}
    for role in (
        Role.objects.of_user(user)
        .filter(program__in=programs)
        .select_related("person__organization", "team__organization")
        .with_consent()
    ):
        roles.setdefault(role.program_id, []).append(role)
    person = account_person(user, roles)
    todo: dict[int, list[dict[str, Any]]] = {}
    for program in programs:
        # Programs owns these facts (Person and Role), so it adds its own item, no signal.
        if program.status != Program.Status.CLOSED and any(
            missing_profile_fields(role) for role in roles.get(program.pk, [])
        ):
            todo.setdefault(program.pk, []).append(
                {
                    "label": _("Compléter votre profil de jumelage"),
                    "url": reverse("programs:my_profile", args=[program.pk]),
                }
            )
    for _receiver, answer in dashboard_todo.send(
        sender=Program, user=user, programs=programs, roles=roles, person=person
    ):
        for program_id, items in (answer or {}).items():
            todo.setdefault(program_id, []).extend(items)
    rows = []
    for program in programs:
        labels = [role.get_kind_display() for role in roles.get(program.pk, [])]
        rows.append(
            {
                "program": program,
                "roles": labels,
                "kinds": {role.kind for role in roles.get(program.pk, [])},
                "todo": todo.get(program.pk, []),
            }
        )
    return rows


PARTICIPANTS = (Role.Kind.MENTOR, Role.Kind.MENTEE)


def missing_profile_fields(role: Role) -> list[str]:
    """What matching would read of this mentor or mentee and finds empty, as labels to show
    (« langues, disponibilités »); nothing for the other roles."""
    if role.kind not in PARTICIPANTS:
        return []
    person = role.person
    # The organization matching reads: a team's own, else the person's.
    team = role.team if role.team_id else None
    org = (team.organization if team is not None and team.organization_id else None) or (
        person.organization
    )
    checks = [
        (_("langues"), bool(person.languages)),
        (_("disponibilités"), bool(person.availability)),
        (_("style de travail"), bool(person.working_style)),
        (_("secteur"), org is not None and org.sector_id is not None),
        (_("région"), org is not None and org.territory_id is not None),
    ]
    if role.kind == Role.Kind.MENTEE:
        checks.append((_("besoins"), bool(role.needs.strip())))
    else:
        checks.append((_("expertise"), bool(person.expertise.strip())))
    return [label for label, done in checks if not done]


def dashboard_elsewhere_items(*, user: Any) -> list[dict[str, Any]]:
    """What waits for the user outside programs (the floors above answer)."""
    items: list[dict[str, Any]] = []
    for _receiver, answer in dashboard_elsewhere.send(sender=Program, user=user):
        items.extend(answer or [])
    return items


def people_known_to(program: Program) -> QuerySet[Person]:
    """People connected to this program: a role, or known to the floors above (an application,
    the potential-mentor list)."""
    known = Q(roles__program=program)
    for _receiver, condition in people_known.send(sender=Program, program=program):
        known |= condition
    return Person.objects.filter(known).distinct()


def organizations_of(program: Program) -> QuerySet[Organization]:
    """Organizations this program's coordination may edit: its own, those of the people it knows
    and of its teams, and those its pages created that nobody belongs to yet."""
    created_here = AuditEntry.objects.filter(
        model=Organization._meta.label, action=AuditEntry.Action.CREATE, program_id=program.pk
    ).values_list("object_id", flat=True)
    return Organization.objects.filter(
        Q(pk=program.coordinating_organization_id)
        | Q(people__in=people_known_to(program))
        | Q(teams__role__program=program)
        | Q(pk__in=[int(pk) for pk in created_here])
    ).distinct()


def people_visible_to(*, user: Any, program: Program) -> QuerySet[Person]:
    """The people this user may reach by typing their e-mail for `program`: those the program
    already knows (`people_known_to`), those of every other program the user coordinates, and
    the user themself; everyone for the platform's administrators. Anyone else is only invited
    (`services.person_by_email`): their record is not this user's to see."""
    if getattr(user, "is_superuser", False):
        return Person.objects.all()
    known = Q(pk__in=people_known_to(program).values("pk"))
    if getattr(user, "is_authenticated", False):
        known |= Q(user=user)
        coordinated = Program.objects.with_role(user, Role.Kind.COORDINATOR).exclude(pk=program.pk)
        for other in coordinated:
            known |= Q(pk__in=people_known_to(other).values("pk"))
    return Person.objects.filter(known)


def pending_invitations(*, user: Any) -> list[Any]:
    """The invitations to join a program waiting for this account's answer (« Mes programmes »)."""
    from .models import ProgramInvitation

    invitations = list(
        ProgramInvitation.objects.for_user(user).pending().select_related("program", "created_by")
    )
    return [invitation for invitation in invitations if invitation.offered_roles()]


def my_consents(person: Person) -> list[dict[str, Any]]:
    """« Mes consentements »: each program that processes (or processed) the person's
    information as a participant, with the state of their consent and the link to give or
    withdraw it (the same page as the e-mailed request)."""
    from .services import PARTICIPANT_KINDS, consent_purpose, consent_token

    records: dict[int, list[Consent]] = {}
    for consent in Consent.objects.filter(person=person).order_by("-given_at", "-pk"):
        records.setdefault(consent.program_id, []).append(consent)
    programs = (
        Program.objects.filter(
            Q(roles__person=person, roles__kind__in=PARTICIPANT_KINDS) | Q(consents__person=person)
        )
        .distinct()
        .order_by("title", "pk")
    )
    rows = []
    for program in programs:
        history = records.get(program.pk, [])
        current = next((c for c in history if c.withdrawn_at is None), None)
        rows.append(
            {
                "program": program,
                "purpose": consent_purpose(program),
                "current": current,
                "withdrawn": None if current else next(iter(history), None),
                "history": history,
                "token": consent_token(person, program),
            }
        )
    return rows
