"""The public form's pages rendered once, then served from memory (issue 14: 200 answers a
second on two cores).

Rendering the unbound form through Django's widget templates costs about 28 ms of Python (11
fields, 33,700 calls) for HTML that is the same for every visitor of a form in a language. A
page is rendered once per form, language and revision, with marks where the per-visitor parts
go (the CSRF token, the once-token of `{% form_token %}`); each visitor gets the stored HTML
with their own values put in. The key holds the form's `updated_at`, which every change of the
form or of one of its questions moves (`receivers.form_changed`), so an edit shows at once in
every process; entries also expire after `TTL` seconds, for what the key does not hold (the
regions' and sectors' names of the reference lists, a new translation).

Only anonymous visitors without a pending message are served from memory: a signed-in
coordinator trying the form sees their own header, and a message is shown once.

The store is per process (a dict, not the shared cache): an entry is a few tens of KB, found
without a query, and a stale one is impossible since the form's row, read on each request,
gives the key.
"""

from __future__ import annotations

import copy
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable

from django.contrib.messages import get_messages
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from maillage.core.once import FIELD
from maillage.programs.models import Program

from .models import InterestForm

TTL = 300.0  # seconds
SIZE = 512  # pages kept per process (forms × languages × pages), the least recently used go

# Marks that HTML escaping leaves alone and that no question's text contains.
CSRF_MARK = "csrfmark7c1f0e9a5b3d4c2e8f6a1b0d"
ONCE_MARK = "oncemark3e5a9c1f7b2d4e6a8c0f1b3d"
_ONCE_INPUT = re.compile(rf'(name="{FIELD}" value=")[0-9a-f]{{32}}(")')

_pages: OrderedDict[tuple, tuple[float, str]] = OrderedDict()
_lock = threading.Lock()


def forget_pages() -> None:
    """Empty this process's store (tests)."""
    with _lock:
        _pages.clear()
        _forms.clear()


# The form with its program, by token: every request of the public form (showing, answer,
# thanks) read them through the ORM, whose query building was a third of a cached showing's
# Python. The row's two `updated_at` are read with one plain SQL statement, and the objects
# kept in this process under them: any change of the form, its questions (`touch_form`) or its
# program moves one, and the objects are read again. Stored under the stamps read *before*
# loading them, so a change in between makes the next request load again, never serve stale.
_STAMPS = (
    f'SELECT f.id, f.updated_at, p.updated_at FROM "{InterestForm._meta.db_table}" f '
    f'JOIN "{Program._meta.db_table}" p ON p.id = f.program_id WHERE f.token = %s'
)
_forms: OrderedDict[str, tuple[tuple, InterestForm]] = OrderedDict()


def public_form(token: str) -> InterestForm:
    """The form of this public link with its program (404 when there is none): a copy of
    this process's, safe to change for this request."""
    with connection.cursor() as cursor:
        cursor.execute(_STAMPS, [token])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    stamps = tuple(row)
    with _lock:
        found = _forms.get(token)
        if found is not None:
            _forms.move_to_end(token)
    if found is not None and found[0] == stamps:
        stored = found[1]
    else:
        stored = InterestForm.objects.select_related("program").get(pk=stamps[0])
        with _lock:
            _forms[token] = (stamps, stored)
            while len(_forms) > SIZE:
                _forms.popitem(last=False)
    interest_form = _clone(stored)
    interest_form.program = _clone(stored.program)
    return interest_form


def _clone(instance):
    """What `copy.copy` gives a model instance (Model.__getstate__: its attributes, its state,
    its cache of related objects, each copied one level), without the pickling protocol's
    detour (model_unpickle, the state's memoryview scan): a tenth of a cached showing's calls
    (issue 14)."""
    clone = instance.__class__.__new__(instance.__class__)
    clone.__dict__.update(instance.__dict__)
    clone._state = copy.copy(instance._state)
    clone._state.fields_cache = instance._state.fields_cache.copy()
    return clone


def _servable(request: HttpRequest) -> bool:
    if request.user.is_authenticated:
        return False
    return len(get_messages(request)) == 0  # counted, not consumed: they are still shown


def cached_page(
    request: HttpRequest,
    *,
    page: str,
    interest_form: InterestForm,
    lang: str,
    render: Callable[[dict[str, str]], HttpResponse],
) -> HttpResponse:
    """`render(marks)` makes the page with `marks` in its context (the CSRF mark as
    `csrf_token`); stored once per key, then served with this visitor's tokens."""
    if not _servable(request):
        return render({})
    key = (page, interest_form.token, lang, interest_form.updated_at, request.path)
    now = time.monotonic()
    with _lock:
        found = _pages.get(key)
        if found is not None:
            _pages.move_to_end(key)
    if found is None or found[0] < now:
        response = render({"csrf_token": CSRF_MARK})
        if response.status_code != 200:
            return response  # never stored, and no mark left in a page a visitor sees
        html = _ONCE_INPUT.sub(rf"\g<1>{ONCE_MARK}\g<2>", response.content.decode())
        with _lock:
            _pages[key] = (now + TTL, html)
            while len(_pages) > SIZE:
                _pages.popitem(last=False)
    else:
        html = found[1]
    html = html.replace(CSRF_MARK, get_token(request))
    if ONCE_MARK in html:
        html = html.replace(ONCE_MARK, uuid.uuid4().hex)
    return HttpResponse(html)
