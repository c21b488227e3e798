"""Sign-in rules: accounts are opened by coordinators, not by visitors."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class ClosedSignupAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Applicants use the public interest form, which needs no account.
        return False
