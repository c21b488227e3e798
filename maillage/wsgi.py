"""WSGI entry point for production servers (gunicorn maillage.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
application = get_wsgi_application()

# Every view imported now (the URLconf) rather than in each worker's first request: with
# MAILLAGE_PRELOAD=1 gunicorn forks workers with them loaded, so a new worker (at start, or
# after max_requests) answers at once (measured: seconds of CPU per worker otherwise).
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018
