"""Sign-in rules: accounts are opened by coordinators, not by visitors."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm as BaseLoginForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class ClosedSignupAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Applicants use the public interest form, which needs no account.
        return False


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
