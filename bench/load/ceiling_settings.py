"""The ceiling of issue 14's load on this machine: Maillage's settings with three more views
(bench/load/ceiling.sh). CEILING_STACK=minimal takes every middleware away but allauth's,
which refuses to start without it (it only reads the request on the way back)."""

import os

from maillage.settings import *  # noqa: F403

ROOT_URLCONF = "ceiling_urls"
if os.environ.get("CEILING_STACK") == "minimal":
    MIDDLEWARE = ["allauth.account.middleware.AccountMiddleware"]
