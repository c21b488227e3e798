"""Forms that create count once, whatever the clicks.

A create form carries a token made when it was rendered (`{% form_token %}`). The middleware
claims the token before the view runs, in its own committed row (unique on the token), so that of
two submissions racing each other only one reaches the view; the other waits for the first's
answer and gets the same redirect (the same new object), with a word saying nothing was doubled.
A first submission that does not end in a redirect (the form had errors and is shown again) gives
its token back, so the corrected form can be sent.

Why a middleware rather than a check in each view: every create form of every app gets the same
behaviour from one line in its template, and a view cannot forget it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import timedelta

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _

FIELD = "form_token"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
# How long a repeat waits for the first submission's answer before giving up.
WAIT_SECONDS = 15.0
_POLL_SECONDS = 0.05
# How long a token is remembered: a browser's back button a day later still finds it.
KEEP = timedelta(days=2)


def _result_of(response: HttpResponse) -> str:
    """Where a successful submission sent the person: a redirect, or htmx's HX-Redirect."""
    if 300 <= response.status_code < 400 and response.has_header("Location"):
        return response["Location"]
    return response.get("HX-Redirect", "")


def _go(request: HttpRequest, where: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = where
        return response
    return HttpResponseRedirect(where)


class FormTokenMiddleware:
    """After authentication and messages: the claim records who sent the form."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not _TOKEN.match(token):
            return self.get_response(request)
        from .models import FormSubmission

        user_id = request.user.pk if request.user.is_authenticated else None
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            claim = self._claim(FormSubmission, token, user_id, request.path)
            if claim is not None:
                return self._first(request, claim)
            seen = FormSubmission.objects.filter(token=token).first()
            if seen is not None and (seen.user_id != user_id or seen.path != request.path):
                # A token is good for the form it was made for, by the person it was shown to.
                return HttpResponse(
                    _("Ce formulaire n’est plus valide : rechargez la page."), status=400
                )
            if seen is not None and seen.result:
                messages.info(
                    request, _("Ce formulaire avait déjà été envoyé : rien n’a été fait en double.")
                )
                return _go(request, seen.result)
            if time.monotonic() > deadline:
                messages.warning(
                    request,
                    _(
                        "Votre envoi précédent est encore en cours : attendez un instant puis rechargez la page."
                    ),
                )
                return _go(request, request.path)
            time.sleep(_POLL_SECONDS)

    @staticmethod
    def _claim(model, token: str, user_id: int | None, path: str):
        try:
            with transaction.atomic():
                return model.objects.create(token=token, user_id=user_id, path=path)
        except IntegrityError:
            return None

    def _first(self, request: HttpRequest, claim) -> HttpResponse:
        try:
            response = self.get_response(request)
        except BaseException:
            type(claim).objects.filter(pk=claim.pk).delete()
            raise
        result = _result_of(response)
        if result:
            type(claim).objects.filter(pk=claim.pk).update(result=result)
        else:
            # Shown again with its errors: the corrected form may be sent with the same token.
            type(claim).objects.filter(pk=claim.pk).delete()
        return response


def forget_old_submissions(**_: object) -> int:
    """The daily job (a receiver of `daily_work_due`): tokens older than KEEP are forgotten."""
    from .models import FormSubmission

    deleted, _rows = FormSubmission.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    return deleted
