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

if os.environ.get("MAILLAGE_PRELOAD") == "1":
    # The same for the templates and both languages' catalogues: without this each worker
    # compiles every template it meets on its first visits (measured under the load bench:
    # 250-400 ms of CPU for a worker's first dashboard or group page against 15-60 ms after),
    # and again after each max_requests replacement. About 0.7 s and 20 MB once, in the master.
    from maillage.core.warmup import warm_templates_and_catalogues  # noqa: E402

    warm_templates_and_catalogues()
