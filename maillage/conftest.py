"""Named personas, as healthchecks does with Alice, Bob and Charlie.

- Camille coordinates program A; Marc mentors in A; Élise is a mentee in A; Chloé sits on A's
  advisory committee; Olivier coordinates program B and must see nothing of A.
"""

from __future__ import annotations

import copy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save
from django.test import override_settings
from django.utils import timezone

from maillage.core.models import Organization, Person, Sector, Territory
from maillage.programs.models import Consent, Program, Role
from maillage.programs.services import (
    CONSENT_TEXT_VERSION,
    PARTICIPANT_KINDS,
    assign_role,
    consent_purpose,
    create_program,
)

PASSWORD = "mot-de-passe-de-test-1"


FAST_AND_QUIET = {
    # The lexical text fit: no model to load, the same code path. Only jumelage/tests read with
    # the semantic model (they do not go through settings).
    "MATCHING_FIT_BACKEND": "lexical",
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    # Each test starts with an empty cache (rate limits, « once an hour » e-mails): the database
    # cache's rows would outlive a live-server test's flush. Tests of the shared cache itself
    # put the database cache back (maillage/core/tests/test_shared_cache.py).
    "CACHES": {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "test-fragments",
        },
    },
    # Staff's second factor is off for the suite's personas: the tests of the requirement turn it
    # on (maillage/core/tests/test_mfa.py, maillage/tests/test_mfa_walk.py, e2e/test_mfa_flow.py).
    "MAILLAGE_MFA_REQUIRED": False,
    # Publishing a report does not render its PDF in every test that publishes one (3–8 s):
    # reports/tests/test_report_pdf_store.py turns it on.
    "MAILLAGE_REPORT_PDF_ON_PUBLISH": False,
}


@pytest.fixture(autouse=True)
def _french_at_the_start():
    # A request in English (its cookie, ?lang=en) leaves English active in the thread after it
    # (LocaleMiddleware activates, nothing deactivates): the next test, whichever runs there
    # with pytest-xdist, starts in the site's language as a new request would.
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_fragments_from_another_test():
    # Each test's database starts again, and SQLite may give its rows the ids of the last
    # test's: a row cached then must not answer now (core.fragments).
    from maillage.core.fragments import fragment_cache

    fragment_cache().clear()


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings, tmp_path):
    for name, value in FAST_AND_QUIET.items():
        setattr(settings, name, value)
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.AXES_ENABLED = True
    cache.clear()


# --- Consent by default ----------------------------------------------------------------------
# Every participant the platform processes has consented (Law 25: matching, self-matching, speed
# dating and groups refuse anyone without it), so the suite's participants have too: a mentor,
# mentee or committee role created in a test, by a fixture, a service or `Role.objects.create`,
# records a consent for its program when the person has none yet (bulk_create: the suite's
# background, not an action under test, so no audit entry). Two explicit ways out:
# - `make_person(..., consent=False)` or `no_consent(person)`: this person never consents
#   (any role they have or get, in any program);
# - `@pytest.mark.without_default_consent`: nobody in the test consents unless the code under
#   test records it (tests of how consent is recorded: public form, import, invitations).

_REFUSING: set[int] = set()


def no_consent(person: Person, program: Program | None = None) -> Person:
    """Make `person` one who never consented (for `program`, else for every program)."""
    _REFUSING.add(person.pk)
    found = Consent.objects.filter(person=person)
    (found.filter(program=program) if program else found).delete()
    return person


def _consent_by_default(sender, instance: Role, created: bool, raw: bool = False, **_):
    if not created or raw or instance.kind not in PARTICIPANT_KINDS:
        return
    if instance.person_id in _REFUSING:
        return
    if Consent.objects.filter(
        person_id=instance.person_id, program_id=instance.program_id
    ).exists():
        return
    program = Program.objects.get(pk=instance.program_id)
    Consent.objects.bulk_create(
        [
            Consent(
                person_id=instance.person_id,
                program=program,
                purpose=consent_purpose(program)[:300],
                version=CONSENT_TEXT_VERSION,
                language="fr",
                source=Consent.Source.FORM,
                given_at=timezone.now(),
            )
        ]
    )


@pytest.fixture(autouse=True)
def _consent_by_default_on(request):
    _REFUSING.clear()
    if request.node.get_closest_marker("without_default_consent"):
        yield
        return
    post_save.connect(_consent_by_default, sender=Role, dispatch_uid="tests-consent-by-default")
    try:
        yield
    finally:
        post_save.disconnect(sender=Role, dispatch_uid="tests-consent-by-default")
        _REFUSING.clear()


@contextmanager
def shared_data(django_db_blocker, uploads: Path) -> Iterator[None]:
    """For a module-scoped fixture that builds data once for the module's tests (the demo, the
    pilot replay): built inside a transaction that is rolled back after the module's last test.
    Each test still runs in its own savepoint (pytest-django's `db`), so what one test writes
    never reaches the next; the module must not mix in `transaction=True` tests that use it."""
    with (
        override_settings(**FAST_AND_QUIET, MEDIA_ROOT=uploads),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


def fresh(shared, *keep):
    """A copy of a module-wide object for one test, so that no test sees the in-memory state
    (cached relations, changed fields) another test left on it; `keep` objects are shared."""
    return copy.deepcopy(shared, {id(k): k for k in keep})


def make_person(
    first: str,
    last: str,
    *,
    org: Organization | None = None,
    user: bool = True,
    language: str = "fr",
    consent: bool = True,
    **extra,
) -> Person:
    """A person (with an account unless `user=False`); `consent=False`: one who never consents
    to any program (see `no_consent`)."""
    email = f"{first.lower()}.{last.lower()}@exemple.org".replace("é", "e").replace("è", "e")
    account = None
    if user:
        account = get_user_model().objects.create_user(
            username=email, email=email, password=PASSWORD
        )
    person = Person.objects.create(
        user=account,
        first_name=first,
        last_name=last,
        email=email,
        organization=org,
        language=language,
        **extra,
    )
    if not consent:
        _REFUSING.add(person.pk)
    return person


@pytest.fixture
def region_qc(db) -> Territory:
    return Territory.objects.get(code="QC-03")


@pytest.fixture
def community(db) -> Sector:
    return Sector.objects.get(code="communautaire")


@pytest.fixture
def org_a(db, region_qc, community) -> Organization:
    return Organization.objects.create(
        name="Vivre Ensemble (fictif)", sector=community, territory=region_qc
    )


@pytest.fixture
def coordinator(db, org_a) -> Person:
    return make_person("Camille", "Coordination", org=org_a)


@pytest.fixture
def program_a(db, coordinator, org_a) -> Program:
    program = create_program(
        by=coordinator,
        title="Programme A",
        theme="Réemploi alimentaire",
        coordinating_organization=org_a,
        start_date=date(2026, 7, 1),
        end_date=date(2026, 12, 15),
    )
    return program


@pytest.fixture
def mentor(db, program_a) -> Person:
    person = make_person("Marc", "Mentor")
    assign_role(program=program_a, person=person, kind=Role.Kind.MENTOR)
    return person


@pytest.fixture
def mentee(db, program_a) -> Person:
    person = make_person("Élise", "Mentorée")
    assign_role(program=program_a, person=person, kind=Role.Kind.MENTEE)
    return person


@pytest.fixture
def committee_member(db, program_a) -> Person:
    person = make_person("Chloé", "Comité")
    assign_role(program=program_a, person=person, kind=Role.Kind.COMMITTEE)
    return person


@pytest.fixture
def outsider(db) -> Person:
    """Olivier coordinates program B: a real user with real rights, none of them in A."""
    person = make_person("Olivier", "Dehors")
    create_program(by=person, title="Programme B", theme="Agriculture urbaine")
    return person


def login(client, person: Person):
    client.force_login(person.user)
    return client


@pytest.fixture
def as_coordinator(client, coordinator):
    return login(client, coordinator)


@pytest.fixture
def as_outsider(client, outsider):
    return login(client, outsider)


class Mailbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback, and Django's SMTP backend pointed at it."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture
def held_tasks(settings):
    """Tasks queued but not run: the worker has not picked them up yet (the dummy backend
    keeps them in `.results`; run one with `task.call(...)`). For pages that follow work done
    off the request (issue 14)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend  # a proxy: the backend of the new setting

    default_task_backend.clear()
    return default_task_backend
