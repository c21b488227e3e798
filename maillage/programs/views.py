from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maillage.core.errors import DomainError
from maillage.core.locking import StaleEdit
from maillage.core.models import Person
from maillage.core.services import (
    DuplicateOrganization,
    create_organization,
    update_organization,
    update_profile,
)
from maillage.core.views import invite_all_and_tell, invite_and_tell

from . import services, signals
from .access import ANY, STAFF, can, can_create_programs, get_program, post_only
from .errors import ProgramError
from .forms import (
    OrganizationForm,
    ProfileForm,
    ProgramDuplicateForm,
    ProgramForm,
    ProgramStartForm,
    RoleForm,
    TeamForm,
    TrackForm,
)
from .models import Consent, Program, ProgramInvitation, Role
from .selectors import (
    PARTICIPANTS,
    dashboard_elsewhere_items,
    dashboard_rows,
    missing_profile_fields,
    organizations_of,
    pending_invitations,
)
from .selectors import (
    my_consents as my_consents_of,
)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """« Mes programmes »: where a signed-in person starts, the next step first (on a phone the
    first screen is all many participants read)."""
    rows = sorted(dashboard_rows(user=request.user), key=lambda row: not row["todo"])
    first = rows[0] if rows and rows[0]["todo"] else None
    next_step = {"program": first["program"], **first["todo"][0]} if first else None
    if first:  # shown once, above the programs
        first["todo"], first["next_above"] = first["todo"][1:], True
    return render(
        request,
        "programs/dashboard.html",
        {
            "rows": rows,
            "next_step": next_step,
            "invitations": [
                {"invitation": i, "token": i.token(), "roles": i.offered_roles()}
                for i in pending_invitations(user=request.user)
            ],
            "elsewhere": dashboard_elsewhere_items(user=request.user),
            "can_create": can_create_programs(
                request.user, coordinates=any(Role.Kind.COORDINATOR in r["kinds"] for r in rows)
            ),
        },
    )


@login_required
def program_new(request: HttpRequest) -> HttpResponse:
    """Create a program from the pilot's template; its creator coordinates it."""
    if not can_create_programs(request.user):
        raise Http404
    form = ProgramStartForm(request.POST or None, initial={"token": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            program = services.start_program(
                by=request.user,
                token=data["token"],
                title=data["title"],
                theme=data["theme"],
                organization=data["coordinating_organization"],
                organization_name=data["organization_name"],
                start_date=data["start_date"],
                end_date=data["end_date"],
            )
            messages.success(request, _("Programme créé avec les paramètres du projet pilote."))
            return redirect("programs:detail", pk=program.pk)
        except ProgramError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    return render(request, "programs/new.html", {"form": form, "defaults": Program()})


@login_required
def duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    """« Dupliquer pour une nouvelle édition »: the design carries over, not the people's work."""
    source = get_program(request, pk, STAFF)
    initial = {
        "token": uuid.uuid4(),
        "title": _("%(title)s (nouvelle édition)") % {"title": source.title},
    }
    form = ProgramDuplicateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        copy, carried = services.duplicate_program(
            source=source, by=request.user, **form.cleaned_data
        )
        text = _("Nouvelle édition créée.")
        if carried:
            text += " " + _("Repris de l’édition précédente : %(list)s.") % {
                "list": ", ".join(carried)
            }
        messages.success(request, text)
        return redirect("programs:detail", pk=copy.pk)
    return render(
        request, "programs/duplicate.html", {"program": source, "form": form, "section": "overview"}
    )


@login_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """« Clôturer le programme », after a confirmation page."""
    program = get_program(request, pk, STAFF)
    if request.method == "POST":
        services.close_program(program=program)
        messages.success(
            request, _("Programme clôturé. Il reste consultable ; ses données sont figées.")
        )
        return redirect("programs:detail", pk=program.pk)
    return render(request, "programs/close.html", {"program": program, "section": "overview"})


@login_required
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """« Rouvrir le programme », after a confirmation page: its data can be changed again."""
    program = get_program(request, pk, STAFF)
    if request.method == "POST":
        services.reopen_program(program=program)
        messages.success(request, _("Programme rouvert : il accepte de nouveau les modifications."))
        return redirect("programs:detail", pk=program.pk)
    return render(request, "programs/reopen.html", {"program": program, "section": "overview"})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, ANY)
    counts = dict(program.applications.values_list("status").annotate(n=Count("id")).order_by())
    return render(
        request,
        "programs/detail.html",
        {
            "program": program,
            "section": "overview",
            "tracks": program.tracks.all(),
            "counts": counts,
            "applications_total": sum(counts.values()),
            "missing_points": program.agreement_points_missing(),
        },
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    form = ProgramForm(request.POST or None, instance=program)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_program(program=program, **form.cleaned_data)
        except StaleEdit as stale:
            # Nothing overwritten: both versions side by side, what was typed kept.
            conflict = form.conflict(stale.current)
        except ProgramError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Paramètres enregistrés."))
            return redirect("programs:detail", pk=program.pk)
    track_form = TrackForm()
    return render(
        request,
        "programs/edit.html",
        {
            "program": program,
            "form": form,
            "conflict": conflict,
            "track_form": track_form,
            "section": "settings",
        },
    )


@login_required
def track_add(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    if request.method != "POST":
        return post_only()
    form = TrackForm(request.POST)
    if form.is_valid():
        try:
            services.add_track(program=program, **form.cleaned_data)
            messages.success(request, _("Volet ajouté."))
        except ProgramError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("Donnez un nom au volet."))
    return redirect("programs:edit", pk=program.pk)


@login_required
def people(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    form = RoleForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = data["person"]
            with transaction.atomic():
                if person is None:
                    person, _created = services.person_by_email(
                        program=program,
                        by=request.user,
                        email=data["email"],
                        first_name=data["first_name"],
                        last_name=data["last_name"],
                    )
                services.assign_role(
                    program=program, person=person, kind=data["kind"], track=data["track"]
                )
                services.consent_on_adding(
                    person=person, program=program, given=data["consent"], by=request.user
                )
            messages.success(request, _role_given(data))
            return redirect("programs:people", pk=program.pk)
        except ProgramError as error:
            messages.error(request, error.message)
    roles = list(
        program.roles.select_related(
            "person__organization", "person__user", "track", "team__organization"
        )
    )
    consenting = set(program.consents.valid().values_list("person_id", flat=True))
    for role in roles:
        role.missing = missing_profile_fields(role)  # « profil complet » or what it lacks
        role.consented = role.person_id in consenting
    uninvited = Person.objects.filter(roles__program=program).without_account().distinct().count()
    return render(
        request,
        "programs/people.html",
        {
            "program": program,
            "roles": roles,
            "form": form,
            "section": "people",
            "uninvited": uninvited,
            "coordinators": sum(r.kind == Role.Kind.COORDINATOR for r in roles),
            "frozen_kinds": services.PARTICIPANT_KINDS,
            "teams": services.teams_of(program).select_related("organization"),
            "organizations": organizations_of(program).select_related("sector", "territory"),
        },
    )


def _role_given(data: dict[str, Any]) -> str:
    """The same words whether the typed address is on the platform or not."""
    if data["person"] is not None:
        return _("Rôle attribué.")
    return _(
        "Rôle attribué à %(name)s (%(email)s). Si ce courriel est déjà celui d’une personne "
        "inscrite dans Maillage, une invitation à rejoindre le programme lui est envoyée : le "
        "programme ne voit que ce que vous avez saisi tant qu’elle ne l’a pas acceptée."
    ) % {"name": f"{data['first_name']} {data['last_name']}".strip(), "email": data["email"]}


def answer_invitation_page(
    request: HttpRequest,
    token: str,
    found: Any,
    *,
    answer: Any,
    error: type[DomainError],
    url_name: str,
    heading: str,
    accepted: str,
    declined: str,
    privacy: str,
) -> HttpResponse:
    """The page of an invitation to join a place (a program, a network), answered from the
    e-mailed link (the signed token proves the address) or from « Mes programmes »; a signed-in
    account answers only its own. `found`: the invitation the token names, or None;
    `answer(invitation=…, accept=…)` is the place's service."""
    if found is None:
        raise Http404
    user = request.user
    if user.is_authenticated and found.person.user_id != user.pk:
        raise Http404
    if request.method == "POST" and request.POST.get("answer") in ("accept", "decline"):
        accept = request.POST["answer"] == "accept"
        try:
            answer(invitation=found, accept=accept)
            messages.success(request, accepted if accept else declined)
        except error as failure:
            messages.error(request, failure.message)
        if user.is_authenticated:
            return redirect("programs:dashboard")
        return redirect(url_name, token=token)
    found.refresh_from_db()
    return render(
        request,
        "programs/invitation.html",
        {
            "heading": heading,
            "first_name": found.person.first_name,
            "roles": [role.get_kind_display() for role in found.offered_roles()],
            "status": found.status,
            "action": reverse(url_name, args=[token]),
            "privacy": privacy,
        },
    )


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = ProgramInvitation.from_token(token)
    title = found.program.title if found is not None else ""
    return answer_invitation_page(
        request,
        token,
        found,
        answer=services.answer_invitation,
        error=ProgramError,
        url_name="programs:invitation",
        heading=_("Invitation à rejoindre « %(name)s »") % {"name": title},
        accepted=_("Vous faites maintenant partie du programme « %(program)s ».")
        % {"program": title},
        declined=_("Invitation refusée : rien de votre fiche n’a été transmis au programme."),
        privacy=_(
            "Tant que vous n’avez pas accepté, la coordination de ce programme ne voit rien "
            "de votre fiche Maillage (organisation, coordonnées, profil de jumelage). "
            "En acceptant, vous donnez ce consentement : %(text)s"
        )
        % {"text": services.consent_text(found.program) if found is not None else ""},
    )


def consent(request: HttpRequest, token: str) -> HttpResponse:
    """The page of a consent request (the e-mailed link is the proof of address): the person
    reads what they agree to, and consents or refuses."""
    found = services.from_consent_token(token)
    if found is None or (
        request.user.is_authenticated and found[0].user_id not in (None, request.user.pk)
    ):
        raise Http404
    person, program = found
    if request.method == "POST" and request.POST.get("answer") in ("accept", "decline"):
        if request.POST["answer"] == "accept" and not services.has_consent(person, program):
            services.record_consent(
                person=person,
                program=program,
                source=Consent.Source.LINK,
                text=services.consent_text(program),
                version=services.CONSENT_TEXT_VERSION,
                language=get_language()[:2],
                by=request.user,
            )
            messages.success(request, _("Merci : votre consentement est enregistré."))
        elif request.POST["answer"] == "decline" and services.has_consent(person, program):
            services.withdraw_consent(person=person, program=program, by=request.user)
            messages.success(request, _("Votre consentement est retiré."))
        elif request.POST["answer"] == "decline":
            messages.success(request, _("C’est noté : le programme ne traitera pas votre dossier."))
        return redirect("programs:consent", token=token)
    return render(
        request,
        "programs/consent.html",
        {
            "program": program,
            "first_name": person.first_name,
            "purpose": services.consent_purpose(program),
            "text": services.consent_text(program),
            "given": services.has_consent(person, program),
        },
    )


@login_required
def my_consents(request: HttpRequest) -> HttpResponse:
    """« Mes consentements », reached from « Mon compte »: what each program may do with the
    person's information, since when, and the page to give or withdraw it at any time."""
    person = getattr(request.user, "person", None)
    rows = my_consents_of(person) if person is not None else []
    elsewhere = []
    if person is not None:
        answers = signals.my_consents_elsewhere.send(sender=Program, person=person)
        elsewhere = [answer for _receiver, answer in answers if answer]
    context = {"rows": rows, "elsewhere": elsewhere}
    return render(request, "programs/my_consents.html", context)


@login_required
def consent_request(request: HttpRequest, pk: int, role_pk: int) -> HttpResponse:
    """Ask the person holding this role for their consent (or ask again)."""
    program = get_program(request, pk, STAFF)
    role = get_object_or_404(program.roles.select_related("person"), pk=role_pk)
    if request.method != "POST":
        return post_only()
    try:
        services.request_consent(person=role.person, program=program, by=request.user)
        messages.success(
            request,
            _("Demande de consentement envoyée à %(name)s.") % {"name": role.person.full_name},
        )
    except ProgramError as error:
        messages.error(request, error.message)
    # Asked from the matching page, the coordinator goes back to its list of people left out.
    back = request.POST.get("next", "")
    if back.startswith(f"/programmes/{program.pk}/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("programs:people", pk=program.pk)


@login_required
def role_invite(request: HttpRequest, pk: int, role_pk: int) -> HttpResponse:
    """Invite the person holding this role to sign in (or send the invitation again)."""
    program = get_program(request, pk, STAFF)
    role = get_object_or_404(program.roles.select_related("person"), pk=role_pk)
    if request.method != "POST":
        return post_only()
    invite_and_tell(request, role.person, program=program)
    return redirect("programs:people", pk=program.pk)


@login_required
def people_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite everyone in the program who has an e-mail and was never invited."""
    program = get_program(request, pk, STAFF)
    if request.method != "POST":
        return post_only()
    invite_all_and_tell(request, Person.objects.filter(roles__program=program), program=program)
    return redirect("programs:people", pk=program.pk)


@login_required
def role_remove(request: HttpRequest, pk: int, role_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    role = get_object_or_404(program.roles, pk=role_pk)
    if request.method != "POST":
        return post_only()
    try:
        services.remove_role(role=role)
    except ProgramError as error:
        messages.error(request, error.message)
        return redirect("programs:people", pk=program.pk)
    if not can(request.user, program, STAFF):
        # A coordinator who stepped down no longer sees this page.
        messages.success(
            request,
            _("Vous avez quitté la coordination de « %(title)s ».") % {"title": program.title},
        )
        return redirect("programs:dashboard")
    messages.success(request, _("Rôle retiré."))
    return redirect("programs:people", pk=program.pk)


# --- Organizations, profiles and teams ---------------------------------------------------------


def _form_error(form: Any, error: DomainError) -> None:
    """A service's refusal shown at its field (or at the top), keeping what was typed."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _opened_from(request: HttpRequest, program: Any) -> Person | None:
    """The person of this program whose profile page opened this one (« ?personne= »)."""
    person_pk = request.GET.get("personne", "")
    if not person_pk.isdigit():
        return None
    return Person.objects.filter(roles__program=program, pk=int(person_pk)).first()


def _back_to(request: HttpRequest, program: Any) -> str:
    """Where a page returns: the person's profile it was opened from, else « Personnes »."""
    person = _opened_from(request, program)
    if person is not None:
        return reverse("programs:person", args=[program.pk, person.pk])
    return reverse("programs:people", args=[program.pk])


@login_required
def organization_create(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    form = OrganizationForm(request.POST or None)
    existing = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "updated_at"}
        try:
            with transaction.atomic():
                organization = create_organization(by=request.user, program_id=program.pk, **data)
                # Opened from « Son organisation n’est pas dans la liste ? »: it is hers.
                person = _opened_from(request, program)
                if person is not None:
                    update_profile(person=person, by=request.user, organization=organization)
            messages.success(request, _("Organisation créée : %(name)s.") % {"name": organization})
            return redirect(_back_to(request, program))
        except DuplicateOrganization as error:
            existing = error.existing
            _form_error(form, error)
        except DomainError as error:
            _form_error(form, error)
    return _organization_page(request, program, form, existing)


def _organization_page(
    request: HttpRequest, program: Program, form: Any, existing: Any, organization: Any = None
) -> HttpResponse:
    return render(
        request,
        "programs/organization_form.html",
        {
            "program": program,
            "form": form,
            "organization": organization,
            "existing": existing,
            "person": _opened_from(request, program),
            "section": "people",
            "back": _back_to(request, program),
        },
    )


@login_required
def organization_edit(request: HttpRequest, pk: int, org_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    organization = get_object_or_404(organizations_of(program), pk=org_pk)
    form = OrganizationForm(request.POST or None, instance=organization)
    existing = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        seen = data.pop("updated_at")
        try:
            update_organization(organization=organization, by=request.user, seen=seen, **data)
            messages.success(request, _("Organisation enregistrée."))
            return redirect(_back_to(request, program))
        except DuplicateOrganization as error:
            existing = error.existing
            _form_error(form, error)
        except DomainError as error:
            _form_error(form, error)
    return _organization_page(request, program, form, existing, organization)


@login_required
def person(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    """A person's matching profile, for the people holding a role in this program only."""
    program = get_program(request, pk, STAFF)
    roles = list(program.roles.filter(person_id=person_pk).select_related("team", "track"))
    if not roles:
        raise Http404
    profile = roles[0].person
    mentee_role = next((r for r in roles if r.kind == Role.Kind.MENTEE), None)
    mentor = any(r.kind == Role.Kind.MENTOR for r in roles)
    initial = {"needs": mentee_role.needs} if mentee_role else {}
    chosen = request.GET.get("organisation", "")
    if chosen.isdigit():
        # Back from a duplicate caught on creation: the existing organization, chosen for her.
        initial["organization"] = int(chosen)
    form = ProfileForm(
        request.POST or None,
        instance=profile,
        initial=initial,
        mentor=mentor,
        mentee=mentee_role is not None,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        seen, needs = data.pop("updated_at"), data.pop("needs", None)
        try:
            with transaction.atomic():
                update_profile(
                    person=profile, by=request.user, seen=seen, error=ProgramError, **data
                )
                if mentee_role is not None:
                    services.update_role_needs(role=mentee_role, needs=needs, by=request.user)
            messages.success(request, _("Profil enregistré."))
            return redirect("programs:person", pk=program.pk, person_pk=profile.pk)
        except DomainError as error:
            _form_error(form, error)
    profile.refresh_from_db()
    return render(
        request,
        "programs/person.html",
        {
            "program": program,
            "profile": profile,
            "roles": roles,
            "form": form,
            "section": "people",
            "editable_org": organizations_of(program).filter(pk=profile.organization_id).first(),
        },
    )


@login_required
def my_profile(request: HttpRequest, pk: int) -> HttpResponse:
    """« Mon profil de jumelage »: a mentor or mentee completes what matching reads of her."""
    program = get_program(request, pk, PARTICIPANTS)
    roles = list(
        program.roles.of_user(request.user)
        .filter(kind__in=PARTICIPANTS)
        .select_related("person__organization__sector", "person__organization__territory")
    )
    if not roles:  # a superuser without a role of her own here
        raise Http404
    profile = roles[0].person
    mentee_role = next((r for r in roles if r.kind == Role.Kind.MENTEE), None)
    form = ProfileForm(
        request.POST or None,
        instance=profile,
        initial={"needs": mentee_role.needs} if mentee_role else {},
        mentor=any(r.kind == Role.Kind.MENTOR for r in roles),
        mentee=mentee_role is not None,
        participant=True,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.complete_own_profile(
                roles=roles, by=request.user, seen=data.pop("updated_at"), **data
            )
            messages.success(request, _("Profil enregistré."))
            return redirect("programs:my_profile", pk=program.pk)
        except DomainError as error:
            _form_error(form, error)
    return render(
        request,
        "programs/my_profile.html",
        {
            "program": program,
            "profile": profile,
            "form": form,
            "missing": _missing_of(roles),
            "section": "my_profile",
        },
    )


def _missing_of(roles: list[Role]) -> list[str]:
    """What matching still lacks of one person, over her roles, each label once."""
    fresh = Role.objects.select_related("person__organization", "team__organization").filter(
        pk__in=[r.pk for r in roles]
    )
    return list(dict.fromkeys(label for role in fresh for label in missing_profile_fields(role)))


@login_required
def team_create(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    form = TeamForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team = services.create_team(
                program=program,
                name=data["name"],
                kind=data["kind"],
                side=data["side"],
                members=list(data["members"]),
                referent=data["referent"],
                organization=data["organization"],
                by=request.user,
            )
            messages.success(request, _("Équipe créée : %(team)s.") % {"team": team.name})
            return redirect("programs:people", pk=program.pk)
        except DomainError as error:
            _form_error(form, error)
    return render(
        request, "programs/team_form.html", {"program": program, "form": form, "section": "people"}
    )


@login_required
def team_edit(request: HttpRequest, pk: int, team_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    team = get_object_or_404(services.teams_of(program), pk=team_pk)
    members = list(team.memberships.select_related("person"))
    initial = {
        "name": team.name,
        "kind": team.kind,
        "organization": team.organization_id,
        "members": [m.person_id for m in members],
        "referent": next((m.person_id for m in members if m.is_referent), None),
    }
    form = TeamForm(request.POST or None, program=program, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_team(
                program=program,
                team=team,
                name=data["name"],
                kind=data["kind"],
                members=list(data["members"]),
                referent=data["referent"],
                organization=data["organization"],
                by=request.user,
            )
            messages.success(request, _("Équipe enregistrée."))
            return redirect("programs:team", pk=program.pk, team_pk=team.pk)
        except DomainError as error:
            _form_error(form, error)
    return render(
        request,
        "programs/team_form.html",
        {
            "program": program,
            "form": form,
            "team": team,
            "members": members,
            "side": services.side_of(team, program),
            "section": "people",
        },
    )


@login_required
def team_dissolve(request: HttpRequest, pk: int, team_pk: int) -> HttpResponse:
    program = get_program(request, pk, STAFF)
    team = get_object_or_404(services.teams_of(program), pk=team_pk)
    if request.method != "POST":
        return post_only()
    services.dissolve_team(program=program, team=team, by=request.user)
    messages.success(request, _("Équipe dissoute : ses membres restent dans le programme."))
    return redirect("programs:people", pk=program.pk)
