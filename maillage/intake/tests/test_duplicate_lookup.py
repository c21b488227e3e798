"""The duplicate check reads the stored keys (`email_key`, `email_domain`, `organization_key`)
through their indexes: the same answer as reading every earlier application (issue 14)."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from maillage.intake.duplicates import (
    normalise_organization_name,
    organization_domain,
)
from maillage.intake.models import Application, DuplicateReason
from maillage.intake.services import find_duplicate_pk

pytestmark = pytest.mark.django_db

EMAILS = [
    "jeanne@frigo.example",
    "Jeanne@FRIGO.example",
    " paul@frigo.example ",
    "paul@cuisine.example",
    "ana@gmail.com",
    "ANA@gmail.com",
    "bob@hotmail.com",
    "",
]
NAMES = ["Frigo A", "frigo a inc.", "L’Organisme Cuisine", "cuisine", "Autre", ""]


def reference(program, *, email: str, organization_name: str, exclude_pk=None):
    """Every earlier application read in Python, the rule as the README states it: the earliest
    of the same address, else of the same organization domain, else of the same name."""
    rows = sorted(
        (a for a in Application.objects.filter(program=program) if a.pk != exclude_pk),
        key=lambda a: (a.submitted_at, a.pk),
    )
    email = email.strip()
    domain = organization_domain(email)
    name = normalise_organization_name(organization_name)
    tests = [
        (DuplicateReason.SAME_EMAIL, lambda a: bool(email) and a.email.lower() == email.lower()),
        (
            DuplicateReason.SAME_DOMAIN,
            lambda a: bool(domain) and a.email.strip().lower().endswith("@" + domain),
        ),
        (
            DuplicateReason.SAME_NAME,
            lambda a: bool(name) and normalise_organization_name(a.organization_name) == name,
        ),
    ]
    for reason, passes in tests:
        for app in rows:
            if passes(app):
                return (app.duplicate_of_id or app.pk), reason
    return None, ""


@pytest.mark.parametrize("seed", range(6))
def test_the_indexed_lookup_finds_what_reading_every_application_finds(program_a, seed):
    rng = random.Random(seed)
    start = timezone.now() - timedelta(days=30)
    apps = []
    for _ in range(25):
        app = Application.objects.create(
            program=program_a,
            organization_name=rng.choice(NAMES),
            email=rng.choice(EMAILS).strip(),
        )
        if apps and rng.random() < 0.3:
            app.duplicate_of = rng.choice(apps)
            app.save(update_fields=["duplicate_of"])
        # Equal dates on purpose: the id breaks the tie.
        Application.objects.filter(pk=app.pk).update(
            submitted_at=start + timedelta(hours=rng.randrange(6))
        )
        apps.append(app)
    for email in EMAILS + ["nobody@elsewhere.example"]:
        for name in NAMES:
            exclude = rng.choice([None, rng.choice(apps).pk])
            got = find_duplicate_pk(
                program=program_a, organization_name=name, email=email, exclude_pk=exclude
            )
            assert got == reference(
                program_a, email=email, organization_name=name, exclude_pk=exclude
            ), (email, name, exclude)


def test_a_later_same_address_beats_an_earlier_same_domain(program_a):
    earlier = Application.objects.create(program=program_a, email="direction@frigo.example")
    later = Application.objects.create(program=program_a, email="Paul@Frigo.example")
    Application.objects.filter(pk=earlier.pk).update(
        submitted_at=timezone.now() - timedelta(days=3)
    )
    assert find_duplicate_pk(
        program=program_a, organization_name="", email="paul@frigo.example"
    ) == (later.pk, DuplicateReason.SAME_EMAIL)
    assert find_duplicate_pk(
        program=program_a, organization_name="", email="benevoles@frigo.example"
    ) == (earlier.pk, DuplicateReason.SAME_DOMAIN)


def test_the_keys_follow_an_edited_address_and_one_query_answers(program_a):
    app = Application.objects.create(program=program_a, email="a@one.example")
    app.email = "  B@Two.example "
    app.save(update_fields=["email"])
    app.refresh_from_db()
    assert (app.email_key, app.email_domain) == ("b@two.example", "two.example")
    with CaptureQueriesContext(connection) as queries:
        found = find_duplicate_pk(program=program_a, organization_name="X", email="b@two.example")
    assert found == (app.pk, DuplicateReason.SAME_EMAIL)
    assert len(queries) == 1
    assert "LIKE" not in queries[0]["sql"]
