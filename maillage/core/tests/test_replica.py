"""The read replica router (core.replica), with a second SQLite database as the replica."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from maillage.core.models import Territory
from maillage.core.replica import COOKIE, ReplicaMiddleware

pytestmark = pytest.mark.django_db


@pytest.fixture
def replica(tmp_path, settings):
    """A copy of the test database under the alias « replica », where one territory's name
    differs: whichever name a read returns says which database answered."""
    path = tmp_path / "replica.sqlite3"
    if connections["default"].vendor != "sqlite":
        pytest.skip("a copy of the SQLite test database (the run on SQLite covers it)")
    # Its own connection: the test's holds a write transaction, which a backup would wait on.
    source = sqlite3.connect(connections["default"].settings_dict["NAME"])
    with sqlite3.connect(path) as target:
        source.backup(target)
        target.execute("UPDATE core_territory SET name_fr = 'Sur la réplique' WHERE code = 'QC-03'")
    source.close()
    target.close()
    # A connection of its own, outside settings.DATABASES (which the test run checks).
    default = connections["default"]
    connections["replica"] = type(default)(
        {**default.settings_dict, "NAME": str(path)}, alias="replica"
    )
    settings.DATABASE_ROUTERS = ["maillage.core.replica.ReplicaRouter"]
    settings.MAILLAGE_REPLICA_STICKY_SECONDS = 10
    yield
    connections["replica"].close()
    del connections["replica"]


def name() -> str:
    return Territory.objects.get(code="QC-03").name_fr


def answer(method: str = "get", cookies: dict | None = None, write: bool = False):
    seen = []

    def view(request):
        seen.append(name())
        if write:
            Territory.objects.filter(code="QC-01").update(name_en="x")
            seen.append(name())
        return HttpResponse()

    request = getattr(RequestFactory(), method)("/")
    request.COOKIES.update(cookies or {})
    response = ReplicaMiddleware(view)(request)
    return seen, response


def test_a_read_only_page_reads_the_replica(replica):
    seen, response = answer()
    assert seen == ["Sur la réplique"]
    assert COOKIE not in response.cookies


def test_after_its_first_write_a_page_reads_the_primary_and_so_does_the_next(replica):
    seen, response = answer(write=True)
    assert seen[0] == "Sur la réplique" and seen[1] != "Sur la réplique"
    assert response.cookies[COOKIE]["max-age"] == 10
    again, _ = answer(cookies={COOKIE: "1"})
    assert again[0] != "Sur la réplique"


def test_a_form_sent_reads_and_writes_the_primary(replica):
    seen, response = answer("post")
    assert seen[0] != "Sur la réplique"
    assert COOKIE in response.cookies


def test_a_transaction_reads_the_primary(replica):
    def view(request):
        with transaction.atomic():
            return HttpResponse(name())

    response = ReplicaMiddleware(view)(RequestFactory().get("/"))
    assert response.content.decode() != "Sur la réplique"


def test_outside_a_request_the_primary(replica):
    assert name() != "Sur la réplique"
