"""An import off the request: the file is kept and read once by the worker, the preview and the
write start from that parse, a confirmation writes once, and a failure says what was written.

Tasks run at once in the tests (ImmediateBackend): `start_import` returns a job already read.
"""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from maillage.core.models import AuditEntry, Organization, Person
from maillage.portability import bulk, jobs
from maillage.portability.errors import PortabilityError
from maillage.portability.models import ImportJob
from maillage.programs.models import Role
from maillage.programs.services import close_program

from .conftest import PEOPLE_HEADERS_FR, csv_bytes, upload

pytestmark = [pytest.mark.django_db, pytest.mark.without_default_consent]


def people(n: int, *, start: int = 0) -> list[list[str]]:
    return [PEOPLE_HEADERS_FR] + [
        [
            f"Prénom{i}",
            f"Nom{i}",
            f"personne{i}@exemple.org",
            f"Organisme {start}-{i % 5}",
            "03",
            "mentor" if i % 2 else "mentoré·e",
            "",
        ]
        for i in range(start, start + n)
    ]


def start(program, by, rows, *, name="personnes.csv", skip=False) -> ImportJob:
    return jobs.start_import(
        program=program,
        kind="people",
        upload=upload(name, csv_bytes(rows)),
        skip_bad_rows=skip,
        by=by,
    )


def test_the_upload_is_stored_read_once_and_previewed_without_writing(program_a, coordinator):
    with mock.patch("maillage.portability.jobs.parse_upload", wraps=jobs.parse_upload) as parse:
        job = start(program_a, coordinator.user, people(3))
        job.refresh_from_db()
        preview = jobs.report_of(job.preview)
        job, queued = jobs.confirm_import(job=job, revision=job.revision, by=coordinator.user)

    assert parse.call_count == 1  # the write starts from the stored parse, not the file
    assert queued
    assert (preview.created, preview.updated, preview.skipped) == (3, 0, 0)
    assert [row.action for row in preview.rows] == ["create"] * 3
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Person.objects.filter(email__startswith="personne").count() == 3
    assert program_a.roles.filter(person__email="personne1@exemple.org", kind="mentor").exists()


def test_the_reading_bar_moves_as_the_worker_checks_the_rows(program_a, coordinator, monkeypatch):
    """What a poll of the page reads while the worker checks: the rows checked so far,
    committed as they go (a 20,000-row file takes several seconds to check)."""
    from maillage.portability import services

    monkeypatch.setattr(services, "PROGRESS_EVERY", 2)
    seen: list[tuple[str, int, int]] = []
    real = bulk.read

    def spying(**kwargs):
        progress = kwargs["progress"]

        def told(done: int) -> None:
            progress(done)
            job = ImportJob.objects.get(pk=kwargs["job_id"])
            seen.append((job.status, job.rows_done, job.rows_total))

        return real(**{**kwargs, "progress": told})

    monkeypatch.setattr(bulk, "read", spying)
    job = start(program_a, coordinator.user, people(7))
    job.refresh_from_db()

    assert seen == [("reading", 2, 7), ("reading", 4, 7), ("reading", 6, 7)]
    assert (job.status, job.rows_done, job.rows_total) == ("previewed", 7, 7)


def test_the_preview_writes_nothing_but_the_job(program_a, coordinator):
    before = (Person.objects.count(), Role.objects.count(), Organization.objects.count())

    job = start(program_a, coordinator.user, people(4))

    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED
    assert (job.rows_total, job.rows_done) == (4, 4)
    assert len(job.parsed["rows"]) == 4
    assert before == (Person.objects.count(), Role.objects.count(), Organization.objects.count())


def test_a_confirmation_sent_twice_writes_once(program_a, coordinator):
    job = start(program_a, coordinator.user, people(3))
    job.refresh_from_db()
    revision = job.revision

    first, queued_first = jobs.confirm_import(job=job, revision=revision, by=coordinator.user)
    second, queued_second = jobs.confirm_import(job=job, revision=revision, by=coordinator.user)
    # The task run a second time (a worker replaced mid-way) finds the job written.
    assert jobs.write_job(job_id=job.pk).status == ImportJob.Status.DONE

    assert (queued_first, queued_second) == (True, False)
    assert second.status == ImportJob.Status.DONE
    assert Person.objects.filter(email__startswith="personne").count() == 3
    assert Role.objects.filter(program=program_a, person__email__startswith="personne").count() == 3
    assert AuditEntry.objects.filter(action="import", program_id=program_a.pk).count() == 1


def test_a_stale_preview_is_checked_again_and_never_doubles_a_person(program_a, coordinator):
    job = start(program_a, coordinator.user, people(2))
    job.refresh_from_db()
    # Between the preview and the confirmation, someone adds one of the file's people by hand.
    added = Person.objects.create(first_name="Déjà", last_name="Là", email="PERSONNE1@exemple.org")
    Role.objects.create(program=program_a, person=added, kind="mentor")

    jobs.confirm_import(job=job, revision=job.revision, by=coordinator.user)

    job.refresh_from_db()
    result = jobs.report_of(job.result)
    assert (result.created, result.updated) == (1, 1)
    assert Person.objects.filter(email__iexact="personne1@exemple.org").count() == 1
    added.refresh_from_db()
    assert added.first_name == "Prénom1"  # the program's own person: the file is their record


def test_a_failure_mid_file_keeps_whole_batches_and_says_which_lines(
    program_a, coordinator, monkeypatch
):
    monkeypatch.setattr(bulk, "BATCH", 3)
    job = start(program_a, coordinator.user, people(7))
    job.refresh_from_db()
    real = bulk.PeopleWriter.write
    calls = []

    def second_batch_fails(self, rows):
        calls.append(len(rows))
        real(self, rows)
        if len(calls) == 2:
            raise DatabaseError("disque plein")

    monkeypatch.setattr(bulk.PeopleWriter, "write", second_batch_fails)
    jobs.confirm_import(job=job, revision=job.revision, by=coordinator.user)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    # The first batch (lines 2–4) is kept; the second, rolled back whole; the third never ran.
    assert sorted(
        Person.objects.filter(email__startswith="personne").values_list("email", flat=True)
    ) == [f"personne{i}@exemple.org" for i in range(3)]
    assert job.result["written_lines"] == [2, 3, 4]
    assert "lignes 2 à 4 (3 lignes) sont enregistrées" in job.error
    assert job.rows_written == 3


def test_a_worker_picked_up_again_resumes_after_the_last_written_batch(
    program_a, coordinator, monkeypatch
):
    monkeypatch.setattr(bulk, "BATCH", 2)
    job = start(program_a, coordinator.user, people(5))
    job.refresh_from_db()
    with mock.patch("maillage.portability.tasks.write_import"):
        jobs.confirm_import(job=job, revision=job.revision, by=coordinator.user)
    # A worker died after its first batch of two rows had committed.
    first = bulk.read(
        kind="people",
        program=program_a,
        sheet=bulk.sheet_of(job.parsed),
        skip_bad_rows=False,
        by=coordinator.user,
        job_id=job.pk,
    )
    first.write_batch(first.planned[:2])
    ImportJob.objects.filter(pk=job.pk).update(status="writing", rows_written=2)

    jobs.write_job(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Person.objects.filter(email__startswith="personne").count() == 5
    assert Role.objects.filter(program=program_a, person__email__startswith="personne").count() == 5


def test_query_count_does_not_grow_with_the_rows(program_a, coordinator):
    def counted(n: int, first: int) -> tuple[int, int]:
        job = start(program_a, coordinator.user, people(n, start=first))
        with CaptureQueriesContext(connection) as preview:
            jobs.preview_import(job_id=job.pk)  # no-op: read already; counted below instead
        with CaptureQueriesContext(connection) as reading:
            bulk.read(
                kind="people",
                program=program_a,
                sheet=bulk.sheet_of(ImportJob.objects.get(pk=job.pk).parsed),
                skip_bad_rows=False,
                by=coordinator.user,
            )
        job.refresh_from_db()
        with mock.patch("maillage.portability.tasks.write_import"):
            jobs.confirm_import(job=job, revision=job.revision, by=coordinator.user)
        with CaptureQueriesContext(connection) as writing:
            jobs.write_job(job_id=job.pk)
        assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE
        assert len(preview) < 10
        return len(reading), len(writing)

    counted(3, 5000)  # the first import of a process fills Django's caches (content types…)
    small = counted(10, 0)
    large = counted(100, 1000)

    assert small[0] == large[0], (small, large)  # the preview: the same queries exactly
    # The write: the same but for the INSERTs SQLite's parameter limit splits (58 people a
    # statement); ten times the rows, one more statement.
    assert 0 <= large[1] - small[1] <= 2, (small, large)
    assert large[0] <= 12 and large[1] <= 40, large


def test_each_imported_participant_is_asked_for_consent_once(program_a, coordinator):
    job = start(program_a, coordinator.user, people(4))
    job.refresh_from_db()

    jobs.confirm_import(job=job, revision=job.revision, by=coordinator.user)

    entries = AuditEntry.objects.filter(action="consent.requested", program_id=program_a.pk)
    assert entries.count() == 1  # one entry for the batch
    assert len(entries.get().changes["people"]) == 4
    (created,) = [
        entry
        for entry in AuditEntry.objects.filter(action="bulk_create", model="core.Person")
        if entry.changes.get("import") == job.pk
    ]
    assert created.actor == coordinator.user
    assert len(created.changes["ids"]) == 4


def test_a_file_with_errors_cannot_be_confirmed_unless_its_valid_rows_are_asked_for(
    program_a, coordinator
):
    rows = people(3)
    rows[2][2] = "pas-un-courriel"
    job = start(program_a, coordinator.user, rows)
    job.refresh_from_db()

    with pytest.raises(PortabilityError):
        jobs.confirm_import(job=job, revision=job.revision, by=coordinator.user)
    job, queued = jobs.confirm_import(
        job=job, revision=job.revision, by=coordinator.user, skip_bad_rows=True
    )

    assert queued
    job.refresh_from_db()
    result = jobs.report_of(job.result)
    assert (result.created, result.skipped) == (2, 1)
    assert [row.line for row in result.bad_rows] == [3]


def test_an_unreadable_file_fails_with_a_french_message_and_its_file_goes(
    program_a, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(program_a, coordinator.user, [["a"], ["b\x00c"]], name="x.csv")
    job.refresh_from_db()

    assert job.status == ImportJob.Status.FAILED
    assert "ligne 2, colonne A" in job.error
    assert job.file.name == "" and job.parsed == {}


def test_cancel_discards_the_file_and_writes_nothing(
    program_a, coordinator, django_capture_on_commit_callbacks
):
    job = start(program_a, coordinator.user, people(2))
    job.refresh_from_db()
    name = job.file.name
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        job, cancelled = jobs.cancel_import(job=job, revision=job.revision, by=coordinator.user)
    again, queued = jobs.confirm_import(job=job, revision=job.revision, by=coordinator.user)

    assert cancelled and not queued
    assert again.status == ImportJob.Status.CANCELLED
    assert not default_storage.exists(name)
    assert not Person.objects.filter(email__startswith="personne").exists()


def test_the_hourly_round_deletes_finished_files_and_gives_up_old_pending_imports(
    program_a, coordinator, django_capture_on_commit_callbacks, settings
):
    from datetime import timedelta

    from django.utils import timezone

    pending = start(program_a, coordinator.user, people(2))
    fresh = start(program_a, coordinator.user, people(2, start=10))
    ImportJob.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - timedelta(days=settings.MAILLAGE_IMPORT_FILE_DAYS + 1)
    )
    pending.refresh_from_db()
    name = pending.file.name

    with django_capture_on_commit_callbacks(execute=True):
        count = jobs.purge_import_files()

    pending.refresh_from_db()
    fresh.refresh_from_db()
    assert count == 1
    assert pending.status == ImportJob.Status.CANCELLED and pending.file.name == ""
    assert not default_storage.exists(name)
    assert fresh.status == ImportJob.Status.PREVIEWED and default_storage.exists(fresh.file.name)


def test_a_closed_program_takes_no_import(program_a, coordinator):
    job = start(program_a, coordinator.user, people(2))
    job.refresh_from_db()
    close_program(program=program_a)

    with pytest.raises(PortabilityError):
        start(program_a, coordinator.user, people(2))
    with pytest.raises(PortabilityError):
        jobs.confirm_import(job=job, revision=job.revision, by=coordinator.user)


def test_a_file_of_applications_goes_through_the_same_job(program_a, coordinator):
    from maillage.intake.models import Application

    rows = [
        ["Organisation", "Personne contact", "Courriel", "Région", "Statut"],
        ["Épicerie Solidaire", "Anaïs Pépin", "anais@epicerie.test", "Estrie", "reçue"],
        ["Banque du Nord", "Rémi Lévesque", "remi@banque.test", "08", "reçue"],
    ]
    job = jobs.start_import(
        program=program_a,
        kind="applications",
        upload=upload("candidatures.csv", csv_bytes(rows)),
        skip_bad_rows=False,
        by=coordinator.user,
    )
    job.refresh_from_db()
    preview = jobs.report_of(job.preview)
    assert (preview.created, preview.updated) == (2, 0)
    assert not Application.objects.filter(program=program_a).exists()

    jobs.confirm_import(job=job, revision=job.revision, by=coordinator.user)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Application.objects.filter(program=program_a).count() == 2
    assert AuditEntry.objects.filter(action="import", program_id=program_a.pk).count() == 1


# --- Teams and applications: written in bulk, one look-up per batch ------------------------


def people_in_teams(n: int, *, start: int = 0, per_team: int = 5) -> list[list[str]]:
    rows = people(n, start=start)
    rows[0] = [*rows[0], "Équipe"]
    for i, row in enumerate(rows[1:]):
        row.append(f"Équipe {start}-{i // per_team}")
    return rows


def applications(n: int, *, start: int = 0) -> list[list[str]]:
    return [["Organisation", "Personne contact", "Courriel", "Région", "Reçue le", "Statut"]] + [
        [
            f"Coopérative {i}",
            f"Contact {i}",
            f"contact{i}@coop{i}.example",
            "Estrie",
            f"2026-03-{1 + i % 28:02d}",
            "reçue",
        ]
        for i in range(start, start + n)
    ]


def run_job(program, by, rows, *, kind: str) -> tuple[ImportJob, list[str]]:
    """Upload, confirm, then write (the worker's part), returning the write's queries."""
    job = jobs.start_import(
        program=program,
        kind=kind,
        upload=upload("f.csv", csv_bytes(rows)),
        skip_bad_rows=False,
        by=by,
    )
    job.refresh_from_db()
    with mock.patch("maillage.portability.tasks.write_import"):
        jobs.confirm_import(job=job, revision=job.revision, by=by)
    with CaptureQueriesContext(connection) as writing:
        jobs.write_job(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.error
    return job, [q["sql"] for q in writing.captured_queries]


def inserts_apart(queries: list[str]) -> tuple[list[str], int]:
    """The queries but the bulk INSERTs, and how many INSERTs: SQLite splits a bulk_create in
    statements of at most 999 parameters, the only thing that may grow with the rows."""
    inserts = [q for q in queries if q.startswith("INSERT INTO") and "maillage_audit" not in q]
    others = [
        # Which statement on which table, not its values (ids, the job's report).
        re.sub(r"\d+", "N", q)[:60]
        for q in queries
        if q not in inserts
    ]
    return others, len(inserts)


@pytest.mark.parametrize("kind", ["teams", "applications"])
def test_a_write_batch_makes_the_same_queries_at_10_and_100_rows(program_a, coordinator, kind):
    def write(n: int, first: int) -> tuple[list[str], int]:
        rows = people_in_teams(n, start=first) if kind == "teams" else applications(n, start=first)
        _job, queries = run_job(
            program_a, coordinator.user, rows, kind="people" if kind == "teams" else "applications"
        )
        return inserts_apart(queries)

    write(3, 5000)  # the first import of a process fills Django's caches (content types…)
    small, small_inserts = write(10, 0)
    large, large_inserts = write(100, 1000)

    assert len(small) == len(large), (len(small), len(large))
    assert small == large
    assert large_inserts - small_inserts <= 4, (small_inserts, large_inserts)
    assert len(large) <= 45, large


def test_teams_are_found_as_find_or_create_team_finds_them(program_a, coordinator):
    from maillage.core.models import Team, TeamMember

    known = Team.objects.create(name="Équipe Nord")
    person = Person.objects.create(first_name="A", last_name="B", email="personne0@exemple.org")
    role = Role.objects.create(program=program_a, person=person, kind="mentor", team=known)
    own = Team.objects.create(name="Les Amis")
    member = Person.objects.create(first_name="C", last_name="D", email="personne2@exemple.org")
    Role.objects.create(program=program_a, person=member, kind="committee")
    TeamMember.objects.create(team=own, person=member)
    foreign = Team.objects.create(name="Équipe Sud")  # another program's team: never reused
    rows = people(4)
    rows[0].append("Équipe")
    for row, team in zip(
        rows[1:], ["équipe  nord", "Équipe Sud", "LES AMIS", "Équipe Sud"], strict=True
    ):
        row.append(team)

    job, _queries = run_job(program_a, coordinator.user, rows, kind="people")

    roles = {
        r.person.email: r.team
        for r in Role.objects.filter(program=program_a, person__email__startswith="personne")
    }
    assert roles["personne0@exemple.org"] == known
    assert roles["personne1@exemple.org"] == roles["personne3@exemple.org"] != foreign
    assert roles["personne1@exemple.org"].name == "Équipe Sud"
    assert roles["personne2@exemple.org"] == own  # the person's own team
    assert Team.objects.filter(name="Équipe Sud").count() == 2
    assert TeamMember.objects.filter(person__email__startswith="personne").count() == 4
    role.refresh_from_db()
    assert role.team == known
    created = AuditEntry.objects.get(action="bulk_create", model="core.TeamMember")
    assert created.changes["import"] == job.pk and len(created.changes["ids"]) == 3


def test_a_file_of_teams_imported_twice_adds_no_member_twice(program_a, coordinator):
    from maillage.core.models import Team, TeamMember

    run_job(program_a, coordinator.user, people_in_teams(6, per_team=3), kind="people")
    run_job(program_a, coordinator.user, people_in_teams(6, per_team=3), kind="people")

    assert Team.objects.filter(name__startswith="Équipe 0-").count() == 2
    assert TeamMember.objects.filter(person__email__startswith="personne").count() == 6


def test_applications_in_bulk_keep_the_rules_of_the_row_by_row_service(program_a, coordinator):
    from maillage.intake.models import Application

    earlier = Application.objects.create(
        program=program_a, organization_name="Épicerie Solidaire", email="a@epicerie.test"
    )
    again = Application.objects.create(
        program=program_a, organization_name="Banque du Nord", email="remi@banque.test"
    )
    rows = [
        ["Numéro", "Organisation", "Personne contact", "Courriel", "Reçue le", "Statut"],
        ["", "Epicerie solidaire inc.", "B", "b@autre.test", "2026-03-01", "reçue"],
        ["", "Frigo Partagé", "C", "c@frigo.test", "", "reçue"],
        ["", "Le Frigo partagé", "D", "d@ailleurs.test", "", "reçue"],  # same batch
        ["", "Banque du Nord", "Rémi", "remi@banque.test", "", "en évaluation"],
        [str(earlier.pk), "Épicerie Solidaire", "Anaïs", "a@epicerie.test", "", ""],
    ]

    job, _queries = run_job(program_a, coordinator.user, rows, kind="applications")

    result = jobs.report_of(job.result)
    assert (result.created, result.updated) == (3, 2)
    b = Application.objects.get(email="b@autre.test")
    assert b.duplicate_of == earlier and b.submitted_at.date().isoformat() == "2026-03-01"
    c, d = (
        Application.objects.get(email="c@frigo.test"),
        Application.objects.get(email="d@ailleurs.test"),
    )
    assert c.duplicate_of is None and d.duplicate_of == c  # found within its own batch
    assert f"n° {c.pk}" in result.rows[2].notes[0]
    again.refresh_from_db()
    assert again.status == "in_review" and again.contact_name == "Rémi"
    earlier.refresh_from_db()
    assert earlier.contact_name == "Anaïs"
    assert Application.objects.filter(program=program_a).count() == 5
    entries = AuditEntry.objects.filter(model="intake.Application", changes__import=job.pk)
    assert {e.action for e in entries} == {"bulk_create", "bulk_update"}
    assert all(e.actor == coordinator.user for e in entries)


def test_an_application_import_resumes_after_the_last_written_batch(
    program_a, coordinator, monkeypatch
):
    from maillage.intake.models import Application

    monkeypatch.setattr(bulk, "BATCH", 2)
    job = jobs.start_import(
        program=program_a,
        kind="applications",
        upload=upload("c.csv", csv_bytes(applications(5))),
        skip_bad_rows=False,
        by=coordinator.user,
    )
    job.refresh_from_db()
    with mock.patch("maillage.portability.tasks.write_import"):
        jobs.confirm_import(job=job, revision=job.revision, by=coordinator.user)
    # A worker died after its first batch of two rows had committed.
    first = bulk.read(
        kind="applications",
        program=program_a,
        sheet=bulk.sheet_of(job.parsed),
        skip_bad_rows=False,
        by=coordinator.user,
        job_id=job.pk,
    )
    first.write_batch(first.planned[:2])
    ImportJob.objects.filter(pk=job.pk).update(status="writing", rows_written=2)

    jobs.write_job(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Application.objects.filter(program=program_a).count() == 5
    assert not Application.objects.filter(program=program_a, duplicate_of__isnull=False).exists()
