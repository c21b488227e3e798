"""The invitation e-mail, in the invited person's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import ngettext

from .models import Person

LANGS = {code for code, _name in settings.LANGUAGES}


def password_link(user: Any, *, next_path: str = "") -> str:
    """allauth's own reset-from-key page: the link works once (the token is bound to the
    password, which it sets) and expires after PASSWORD_RESET_TIMEOUT."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    query = f"?{urlencode({'next': next_path})}" if next_path else ""
    return f"{settings.SITE_URL}{path}{query}"


def link_lifetime() -> str:
    seconds = settings.PASSWORD_RESET_TIMEOUT
    if seconds % 86400 == 0:
        days = seconds // 86400
        return ngettext("%(n)d jour", "%(n)d jours", days) % {"n": days}
    hours = max(1, round(seconds / 3600))
    return ngettext("%(n)d heure", "%(n)d heures", hours) % {"n": hours}


def _place(person: Person, program_id: int | None, network_id: int | None) -> dict[str, Any]:
    """Where the person is invited and in which roles (apps looked up by name: core comes first)."""
    if program_id:
        program = apps.get_model("programs", "Program").objects.filter(pk=program_id).first()
        if program is not None:
            roles = list(program.roles.filter(person=person))
            # A mentor or mentee completes her own matching profile: the e-mail links to it.
            participant = any(r.kind in ("mentor", "mentee") for r in roles)
            return {
                "kind": "program",
                "name": program.title,
                "roles": [r.get_kind_display() for r in roles],
                "path": reverse("programs:detail", args=[program.pk]),
                "profile_url": settings.SITE_URL + reverse("programs:my_profile", args=[program.pk])
                if participant
                else "",
            }
    if network_id:
        network = apps.get_model("measurement", "Network").objects.filter(pk=network_id).first()
        if network is not None:
            return {
                "kind": "network",
                "name": network.name,
                "roles": [r.get_kind_display() for r in network.roles.filter(person=person)],
                "path": reverse("measurement:network", args=[network.pk]),
            }
    return {"kind": "", "name": "", "roles": [], "path": ""}


def render_text(template: str, context: dict[str, Any]) -> str:
    """A plain-text e-mail's subject or body: never HTML-escaped (the « text » template engine
    of settings.TEMPLATES), whatever the template says."""
    return render_to_string(template, context, using="text")


def person_email(
    person: Person,
    *,
    templates: str,
    context: Callable[[], dict[str, Any]],
    reply_to: list[str] | None = None,
) -> EmailMessage:
    """An e-mail to `person` in their language: `templates` is the path before
    « _subject.txt » and « _body.txt », `context` is called in that language (so that its
    labels and addresses are in it too)."""
    language = person.language if person.language in LANGS else "fr"
    with translation.override(language):
        data = context()
        subject = render_text(f"{templates}_subject.txt", data)
        body = render_text(f"{templates}_body.txt", data)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
        reply_to=reply_to or [],
        # Mail clients and screen readers use it to pick the reading voice.
        headers={"Content-Language": language},
    )


def invitation_message(
    person: Person, *, program_id: int | None = None, network_id: int | None = None
) -> EmailMessage:
    inviter = person.invited_by

    def context() -> dict[str, Any]:
        place = _place(person, program_id, network_id)
        return {
            "person": person,
            "inviter": inviter,
            "place": place,
            "roles": ", ".join(str(role) for role in place["roles"]),
            "link": password_link(person.user, next_path=place["path"]),
            "lifetime": link_lifetime(),
            "email": person.user.email,
            "login_url": settings.SITE_URL + reverse("account_login"),
        }

    return person_email(
        person,
        templates="core/emails/invitation",
        context=context,
        reply_to=[inviter.email] if inviter is not None and inviter.email else [],
    )
