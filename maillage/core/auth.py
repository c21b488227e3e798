"""Sign-in rules: accounts are opened by coordinators, not by visitors."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm as BaseLoginForm
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class ClosedSignupAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Applicants use the public interest form, which needs no account.
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth's rate limits (sign-in, password reset) read the address as axes and the
        # public form do: one proxy setting for all (MAILLAGE_PROXY_COUNT, _TRUSTED_PROXIES).
        from .ratelimit import client_address

        return client_address(request)


class LoginForm(BaseLoginForm):
    """allauth's sign-in form with Québec French wording and no placeholder-only fields."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Courriel")
        self.fields["login"].widget.attrs.update(
            {"placeholder": "", "autocomplete": "email", "autofocus": True}
        )
        self.fields["password"].label = _("Mot de passe")
        self.fields["password"].help_text = ""
        self.fields["password"].widget.attrs.update({"placeholder": ""})
        if "remember" in self.fields:
            # What the box changes, since the session otherwise ends after a spell of inactivity.
            days, minutes = settings.MAILLAGE_REMEMBER_DAYS, settings.MAILLAGE_IDLE_MINUTES
            self.fields["remember"].label = _("Se souvenir de moi")
            self.fields["remember"].help_text = (
                ngettext(
                    "Reste connecté·e %(days)s jour sur cet appareil.",
                    "Reste connecté·e %(days)s jours sur cet appareil.",
                    days,
                )
                % {"days": days}
                + " "
                + ngettext(
                    "Sinon, la session se ferme après %(minutes)s minute sans activité. "
                    "Ne cochez pas sur un ordinateur partagé.",
                    "Sinon, la session se ferme après %(minutes)s minutes sans activité. "
                    "Ne cochez pas sur un ordinateur partagé.",
                    minutes,
                )
                % {"minutes": minutes}
            )


def attempted_login(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The account a sign-in attempt names, for django-axes: allauth passes `email=` to the
    backends and its form posts `login`. Lowercased, so that « Anne@… » and « anne@… » count as
    one account; an address nobody has is counted the same way (a lockout says nothing of it)."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None:
        data = getattr(request, "POST", None) or {}
        value = data.get("login") or data.get("email")
    return str(value or "").strip().lower()


def unlock_after_password_reset(*, user: Any, **_: Any) -> None:
    """Choosing a new password through the e-mailed link proves the address: the lockout of
    that account ends, as the lockout page promises."""
    from allauth.account.models import EmailAddress
    from axes.utils import reset

    emails = {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    for email in filter(None, emails):
        reset(username=email.strip().lower())


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on opens no door that an invitation did not: a provider's account signs in
    only the Maillage account whose e-mail it vouches for (verified by the provider, matched by
    allauth's e-mail authentication); nobody is created by signing in, since a person enters a
    program only through its coordination (an invitation, an import, a selection)."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False
