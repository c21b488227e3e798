"""Maillage's URLs, plus what a request costs with nothing of the application in it:
/ceiling/bare/ answers a constant, /ceiling/insert/ writes one row in a transaction (a once-token
row, `core.FormSubmission`: a small table with a unique index, as an answer's own row would be)."""

import uuid

from django.db import transaction
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from maillage.core.models import FormSubmission

PAGE = b"<!doctype html><title>ok</title><p>" + b"x" * 2000  # about a form page's header


def bare(request):
    return HttpResponse(PAGE)


@csrf_exempt
def insert(request):
    with transaction.atomic():
        FormSubmission.objects.create(token=uuid.uuid4().hex, path="/ceiling/")
    return HttpResponse(PAGE)


urlpatterns = [
    path("ceiling/bare/", bare),
    path("ceiling/insert/", insert),
    path("", include("maillage.urls")),
]
