"""Top-level routes. Each app owns its URLs; paths are French, pages speak both languages."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    # First: the public form (anyone, the busiest page) is resolved without trying the rest;
    # no other app has a route under formulaire/ nor under programmes/<pk>/formulaires/.
    path("", include("maillage.intake.urls")),
    path("", include("maillage.core.urls")),
    path("", include("maillage.programs.urls")),
    path("", include("maillage.selection.urls")),
    path("", include("maillage.inclusion.urls")),
    path("", include("maillage.training.urls")),
    path("", include("maillage.portability.urls")),
    path("", include("maillage.matching.urls")),
    path("", include("maillage.evaluation.urls")),
    path("", include("maillage.mentoring.urls")),
    path("", include("maillage.alerts.urls")),
    path("", include("maillage.tools.urls")),
    path("", include("maillage.measurement.urls")),
    path("", include("maillage.resources.urls")),
    path("", include("maillage.directory.urls")),
    path("", include("maillage.practice.urls")),
    path("", include("maillage.governance.urls")),
    path("", include("maillage.reports.urls")),
    path("", include("maillage.accreditation.urls")),
    path("", include("maillage.privacy.urls")),
    path("comptes/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# A 500 whose cause is the database out of reach becomes a 503 that keeps what was typed.
handler500 = "maillage.core.unavailable.server_error"
