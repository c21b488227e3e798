from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt

from . import notifications, services
from .emails import link_lifetime
from .errors import AccountError
from .forms import AccountForm, NotificationForm
from .models import NotificationPreference, Person

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
    if request.method == "POST" and "notifications" in request.POST:
        return _notifications(request, person)
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
    return _account_page(request, person, form=form)


def _account_page(request: HttpRequest, person: Person, **forms: Any) -> HttpResponse:
    preference = NotificationPreference.objects.filter(person=person).first()
    forms.setdefault("form", AccountForm(instance=person))
    forms.setdefault(
        "notification_form",
        NotificationForm(instance=preference or NotificationPreference(person=person)),
    )
    return render(request, "core/account.html", {"person": person, **forms})


def _notifications(request: HttpRequest, person: Person) -> HttpResponse:
    """The « Courriels » part of « Mon compte », sent with its own button."""
    form = NotificationForm(request.POST)
    if form.is_valid():
        services.set_notification_preferences(person=person, by=request.user, **form.cleaned_data)
        messages.success(request, _("Vos choix de courriels sont enregistrés."))
        return redirect(f"{reverse('core:account')}#courriels")
    return _account_page(request, person, notification_form=form)


@csrf_exempt  # A mail client's one-click POST (RFC 8058) has no CSRF token: the signed link is the key.
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link of every notification e-mail, without signing in: GET shows one button (link
    checkers that open every link unsubscribe no one), POST turns the topic off."""
    found = notifications.read_unsubscribe_token(token)
    if found is None:
        raise Http404
    person, topic = found
    done = request.method == "POST"
    if done:
        services.unsubscribe(person=person, topic=topic)
    topic_label = NotificationPreference._meta.get_field(topic).verbose_name
    return render(
        request,
        "core/unsubscribe.html",
        {"person": person, "topic": topic_label, "done": done, "token": token},
    )


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
