"""Forms that create count once, whatever the clicks.

A create form carries a token made when it was rendered (`{% form_token %}`). The middleware
claims the token before the view runs, in its own committed row (unique on the token), so that of
two submissions racing each other only one reaches the view; the other waits for the first's
answer and gets the same redirect (the same new object), with a word saying nothing was doubled.
A first submission that does not end in a redirect (the form had errors and is shown again) gives
its token back, so the corrected form can be sent.

Why a middleware rather than a check in each view: every create form of every app gets the same
behaviour from one line in its template, and a view cannot forget it.

On PostgreSQL the claim and the result are committed without waiting for the WAL flush
(`synchronous_commit = off` for their own one-statement transactions; issue 14: with the answer
that made three flushes a submission, and a committing request is held near 35 a second by
them). No answer can be lost by it, and none doubled:
- the WAL is written in order and a flush writes everything before it: the view's own
  transaction (the answer, the new object) commits synchronously *after* the claim, so by the
  time the view's write is acknowledged, the claim is on disk too;
- a crash of PostgreSQL (not a restart: a clean stop flushes) can lose only the last few
  hundred milliseconds of relaxed commits. A lost claim whose view had not committed yet: the
  view's write is lost with it, and the browser sending again finds the token free (nothing
  stored, nothing doubled). A lost result: the token stays claimed without its page, so a repeat
  waits and is told the first submission is still in progress; it never runs the view again.
The setting is local to each statement's own transaction (`set_config(…, true)` in autocommit),
so it can never leak into the view's transaction; inside a caller's transaction (tests), the
claim is a plain savepoint.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import timedelta

from django.contrib import messages
from django.db import IntegrityError, connection, transaction
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
    """Where a successful submission sent the person: a redirect, or htmx's HX-Redirect; a
    view that answers with the result page itself (the public form's thanks) sets
    `response.once_result` to that page's address, where a repeat is sent."""
    if getattr(response, "once_result", ""):
        return response.once_result
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
        if _relaxed():
            return _claim_relaxed(model, token, user_id, path)
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
        if result and _relaxed():
            _set_result_relaxed(type(claim), claim.pk, result)
        elif result:
            type(claim).objects.filter(pk=claim.pk).update(result=result)
        else:
            # Shown again with its errors: the corrected form may be sent with the same token.
            type(claim).objects.filter(pk=claim.pk).delete()
        return response


# One statement each, its own transaction (autocommit), committed without waiting for the WAL
# flush: `set_config(…, true)` lasts until the end of that transaction and is read at its commit.
_RELAX = "(SELECT set_config('synchronous_commit', 'off', true)) AS relax"


def _relaxed() -> bool:
    """PostgreSQL in autocommit: never inside a caller's transaction, whose commit (an answer's)
    must stay synchronous."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _claim_relaxed(model, token: str, user_id: int | None, path: str):
    table = model._meta.db_table
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{table}" (token, user_id, path, result, created_at) '
                f"SELECT %s, %s, %s, '', %s FROM {_RELAX} RETURNING id",
                [token, user_id, path, timezone.now()],
            )
            (pk,) = cursor.fetchone()
    except IntegrityError:
        return None
    return model(pk=pk, token=token, user_id=user_id, path=path)


def _set_result_relaxed(model, pk: int, result: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{model._meta.db_table}" SET result = %s FROM {_RELAX} WHERE id = %s',
            [result, pk],
        )


def forget_old_submissions(**_: object) -> int:
    """The daily job (a receiver of `daily_work_due`): tokens older than KEEP are forgotten."""
    from .models import FormSubmission

    deleted, _rows = FormSubmission.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    return deleted
