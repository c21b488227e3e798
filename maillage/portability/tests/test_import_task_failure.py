"""An import whose task fails in a way its steps did not foresee (a bug) ends failed, in
words (issue 14): its page stops polling, says nothing was written (or how far the writing
went) and offers to send the file again, instead of « lecture du fichier » for ever."""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.core.models import AuditEntry
from maillage.portability import jobs, tasks
from maillage.portability.models import ImportJob

from .conftest import PEOPLE_HEADERS_FR, csv_bytes, upload

pytestmark = [pytest.mark.django_db, pytest.mark.without_default_consent]

ROWS = [PEOPLE_HEADERS_FR, ["Adèle", "Fortin", "adele@exemple.org", "Frigo", "03", "mentor", ""]]


@pytest.fixture
def job(program_a, coordinator, held_tasks):
    return jobs.start_import(
        program=program_a,
        kind="people",
        upload=upload("personnes.csv", csv_bytes(ROWS)),
        skip_bad_rows=False,
        by=coordinator.user,
    )


def test_a_reading_that_raises_ends_failed_with_a_way_to_send_the_file_again(
    client, program_a, coordinator, job
):
    with (
        mock.patch.object(jobs.bulk, "read", side_effect=KeyError("a bug")),
        pytest.raises(KeyError),
    ):
        tasks.read_import.call(job_id=job.pk)  # the worker
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and not job.file
    assert "échoué de façon inattendue" in job.error
    assert AuditEntry.objects.filter(action="import.failed", object_id=str(job.pk)).exists()

    login(client, coordinator)
    status = reverse("portability:import_job_status", args=[program_a.pk, job.pk])
    assert client.get(status, HTTP_HX_REQUEST="true").has_header("HX-Redirect")  # stops polling
    page = client.get(reverse("portability:import_job", args=[program_a.pk, job.pk]))
    html = page.content.decode()
    assert "échoué de façon inattendue" in html and "a bug" not in html
    assert 'id="import-progress"' not in html
    assert (
        reverse("portability:import", args=[program_a.pk]) in html
    )  # « Choisir un autre fichier »


def test_a_writing_that_raises_says_how_far_it_went(program_a, coordinator, job):
    tasks.read_import.call(job_id=job.pk)
    job.refresh_from_db()
    jobs.confirm_import(job=job, revision=job.revision, by=coordinator.user)
    with (
        mock.patch.object(jobs.bulk, "sheet_of", side_effect=ValueError("a bug")),
        pytest.raises(ValueError),
    ):
        tasks.write_import.call(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "après 0 ligne" in job.error  # its plural form is the catalogue's


def test_a_finished_job_is_left_as_it_is(job):
    tasks.read_import.call(job_id=job.pk)
    assert jobs.fail_unexpectedly(job_id=job.pk).status == ImportJob.Status.PREVIEWED
