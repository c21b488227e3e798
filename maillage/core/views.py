from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import services
from .emails import link_lifetime
from .errors import AccountError
from .forms import AccountForm
from .models import Person

ROBOTS = "User-agent: *\nDisallow: /\n"


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Every page is for a program's people, none for search engines (pages also say noindex)."""
    response = HttpResponse(ROBOTS, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        # Where a signed-in person starts (their programs), as after signing in.
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "core/home.html")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    """« Mon compte »: a person corrects her own name, phone and language."""
    person = services.person_for_account(request.user)
    form = AccountForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(
                person=person, by=request.user, error=AccountError, **form.cleaned_data
            )
        except AccountError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Vos informations sont enregistrées."))
            return redirect("core:account")
    return render(request, "core/account.html", {"form": form, "person": person})


# Helpers of the staff pages that invite people (a program's people, a network's roles): the
# pages check access and load the person; these call the service and say what happened.


def invite_and_tell(request: HttpRequest, person: Person, **place: Any) -> None:
    try:
        sent = services.invite_person(person=person, by=request.user, **place)
    except AccountError as error:
        messages.error(request, error.message)
        return
    if sent:
        messages.success(
            request,
            _(
                "Invitation envoyée à %(person)s (%(email)s). Le lien pour choisir un mot de "
                "passe fonctionne une fois, pendant %(lifetime)s."
            )
            % {"person": person.full_name, "email": person.email, "lifetime": link_lifetime()},
        )
    else:
        messages.info(
            request,
            _(
                "%(person)s a déjà un compte avec ce courriel : il est maintenant relié à sa "
                "fiche. Aucune invitation n’a été envoyée."
            )
            % {"person": person.full_name},
        )


def invite_all_and_tell(request: HttpRequest, people: Any, **place: Any) -> None:
    sent, problems = services.invite_people(people=people, by=request.user, **place)
    if sent:
        messages.success(
            request,
            ngettext("%(n)d invitation envoyée.", "%(n)d invitations envoyées.", sent)
            % {"n": sent},
        )
    elif not problems:
        messages.info(
            request, _("Personne à inviter : chaque personne a déjà un compte ou une invitation.")
        )
    for problem in problems:
        messages.error(request, problem)
