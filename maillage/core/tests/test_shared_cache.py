"""One cache shared by every process (issue 12, finding 3): Django's database cache by default,
its table made by a migration; Redis when MAILLAGE_REDIS_URL is set; allauth's limits on
sign-in and password reset held there, so that a second web process sees the same count."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import caches
from django.db import connection
from django.urls import reverse

from maillage.core.tests.test_settings_deploy import run_python
from maillage.intake.tests.test_public_form_rate_limits import DATABASE_CACHE, forget_process_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_cache(settings):
    settings.CACHES = DATABASE_CACHE
    return caches["default"]


def test_the_default_is_the_database_cache_and_redis_when_configured():
    shown = "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'])"
    assert run_python(shown, {"MAILLAGE_DEBUG": "1"}).endswith("db.DatabaseCache")
    redis = run_python(shown, {"MAILLAGE_DEBUG": "1", "MAILLAGE_REDIS_URL": "redis://r:6379/1"})
    assert redis.endswith("redis.RedisCache")


def test_the_cache_table_comes_with_the_migrations(database_cache):
    assert "maillage_cache" in connection.introspection.table_names()
    database_cache.set("essai", "valeur", 30)
    forget_process_state()
    assert caches["default"].get("essai") == "valeur"


def test_sign_in_bursts_get_a_french_429_in_every_process(client, settings, database_cache):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    for n in range(3):
        response = client.post(
            reverse("account_login"), {"login": f"n{n}@example.org", "password": "x"}
        )
        assert response.status_code == 200
    forget_process_state()
    response = client.post(reverse("account_login"), {"login": "z@example.org", "password": "x"})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()


def test_password_reset_mails_one_account_a_few_times_an_hour_whichever_process(
    client, settings, database_cache, coordinator
):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "reset_password": "20/m/ip,2/h/key",
    }
    url = reverse("account_reset_password")
    for _ in range(2):
        assert client.post(url, {"email": coordinator.email}).status_code == 302
        forget_process_state()
    assert client.post(url, {"email": coordinator.email}).status_code == 429
    assert len(mail.outbox) == 2


def test_the_password_reset_limit_is_per_hour_by_default(settings):
    assert "/h/key" in settings.ACCOUNT_RATE_LIMITS["reset_password"]
