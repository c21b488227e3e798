"""Optional single sign-on through OpenID Connect, configured by MAILLAGE_OIDC_*: nothing shown
while unset; a button that leads to the provider's authorize URL when set (no network)."""

from __future__ import annotations

from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ISSUER = "https://idp.exemple.org/realms/maillage"
CONFIG = {
    "issuer": ISSUER,
    "authorization_endpoint": f"{ISSUER}/protocol/openid-connect/auth",
    "token_endpoint": f"{ISSUER}/protocol/openid-connect/token",
    "userinfo_endpoint": f"{ISSUER}/protocol/openid-connect/userinfo",
    "jwks_uri": f"{ISSUER}/protocol/openid-connect/certs",
}


@pytest.fixture
def provider(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "vivre",
                    "name": "Vivre Ensemble",
                    "client_id": "maillage",
                    "secret": "s3cret",
                    "settings": {"server_url": ISSUER},
                }
            ],
        }
    }


def test_nothing_is_shown_while_unset():
    page = Client().get(reverse("account_login")).content.decode()
    assert "Se connecter avec" not in page
    assert Client().get("/comptes/oidc/vivre/login/").status_code == 404


def test_the_button_leads_to_the_providers_authorize_url(provider):
    client = Client()
    page = client.get(reverse("account_login")).content.decode()
    assert "Se connecter avec Vivre Ensemble" in page
    assert 'action="/comptes/oidc/vivre/login/' in page
    with mock.patch.object(
        OpenIDConnectOAuth2Adapter, "openid_config", new_callable=mock.PropertyMock
    ) as config:
        config.return_value = CONFIG
        response = client.post("/comptes/oidc/vivre/login/?process=login")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert (
        f"{location.scheme}://{location.netloc}{location.path}" == CONFIG["authorization_endpoint"]
    )
    query = parse_qs(location.query)
    assert query["client_id"] == ["maillage"]
    assert query["redirect_uri"] == ["http://testserver/comptes/oidc/vivre/login/callback/"]
    assert "openid" in query["scope"][0] and "email" in query["scope"][0]
    assert query["code_challenge_method"] == ["S256"]


def test_single_sign_on_creates_nobody(rf):
    from maillage.core.auth import SocialAccountAdapter

    assert SocialAccountAdapter().is_open_for_signup(rf.get("/"), None) is False
