"""Time an import (issue 14), the way the import page runs it.

    .venv/bin/python bench/bench_imports.py --rows 2000            # the job's path (today's)
    .venv/bin/python bench/bench_imports.py --rows 2000 --before   # the old in-request path
    .venv/bin/python bench/bench_imports.py --rows 2000 --kind applications
    .venv/bin/python bench/bench_imports.py --rows 2000 --teams 10  # people, in teams of 10

The job's path: the upload is stored (`start_import`), the worker reads it once and works out
the preview (`read_import`), then writes the confirmed import from that parse in batches, in
bulk (`write_import`); here the tasks run in this process, one after the other, as the worker
would run them. `--before`: the preview then the confirmation as the request ran them until
December 2026 (`import_people`, dry run then write, every row each time).

Runs on a throw-away SQLite database (migrated, the demo program loaded). The rows are new
people (distinct e-mails) in ten organizations spread over the regions, half mentors, half
mentees; with `--teams N`, every row also names a team, N people a team. `--kind applications`:
new applications of distinct organizations (each with its own e-mail domain, so each is
compared with every earlier one for duplicates, as the public form does). Prints the seconds
and the queries per row of each step, with the load average.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(db_path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
    os.environ.setdefault("MAILLAGE_DEBUG", "1")  # a throwaway database: the dev key is fine
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


REGIONS = [f"{i:02d}" for i in range(1, 18)]


def rows(n: int, *, teams: int = 0) -> list[list[str]]:
    header = ["Prénom", "Nom", "Courriel", "Organisation", "Région", "Rôle", "Volet"]
    header += ["Équipe"] if teams else []
    return [header] + [
        [
            f"Prénom{i}",
            f"Nom{i}",
            f"personne{i}@exemple.org",
            f"Organisme {i % 10}",
            REGIONS[i % len(REGIONS)],
            "mentor·e" if i % 2 else "mentoré·e",
            "",
        ]
        + ([f"Équipe {i // teams}"] if teams else [])
        for i in range(n)
    ]


def application_rows(n: int) -> list[list[str]]:
    header = ["Organisation", "Personne contact", "Courriel", "Région", "Reçue le", "Statut"]
    return [header] + [
        [
            f"Coopérative numéro {i}",
            f"Contact {i}",
            f"contact{i}@coop{i}.example",
            REGIONS[i % len(REGIONS)],
            f"2026-03-{1 + i % 28:02d}",
            "reçue",
        ]
        for i in range(n)
    ]


def counting(connection):
    queries: list[int] = []

    def counted(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    # A wrapper counts them all (CaptureQueriesContext keeps the last 9,000 only).
    return queries, connection.execute_wrapper(counted)


def line(step: str, rows: int, seconds: float, count: int | None) -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    queries = "–" if count is None else f"{count} | {count / rows:.2f}"
    if count is None:
        queries = "– | –"
    return f"| {step} | {rows} | {seconds:.1f} | {queries} | {load} |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--before", action="store_true", help="the old in-request path")
    parser.add_argument("--kind", choices=["people", "applications"], default="people")
    parser.add_argument("--teams", type=int, default=0, help="people: N people per team")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["MAILLAGE_DATA_DIR"] = tmp
        os.environ["MAILLAGE_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
        setup_django(str(Path(tmp) / "bench.sqlite3"))
        from django.conf import settings
        from django.db import connection

        from maillage.demo.editions import build_demo

        settings.MEDIA_ROOT = str(Path(tmp) / "uploads")
        program = build_demo()
        by = program.roles.filter(kind="coordinator").first().person.user
        table = (
            application_rows(args.rows)
            if args.kind == "applications"
            else rows(args.rows, teams=args.teams)
        )
        data = "\r\n".join(",".join(row) for row in table).encode()
        print("| step | rows | seconds | queries | queries per row | load average (1, 5, 15 min) |")
        print("| --- | ---: | ---: | ---: | ---: | --- |")
        if args.before:
            before(program, by, data, args.rows, connection, kind=args.kind)
        else:
            after(program, by, data, args.rows, connection, kind=args.kind)
        check(program, args)


def check(program, args) -> None:
    """What was written: every row, once."""
    if args.kind == "applications":
        assert program.applications.filter(email__endswith=".example").count() == args.rows
    else:
        assert program.roles.filter(person__email__startswith="personne").count() == args.rows
    if args.teams:
        from maillage.core.models import TeamMember

        members = TeamMember.objects.filter(person__email__startswith="personne")
        assert members.count() == args.rows
        assert program.roles.filter(person__email__startswith="personne", team=None).count() == 0


def before(program, by, data: bytes, n: int, connection, *, kind: str) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from maillage.portability.reading import parse_upload
    from maillage.portability.services import import_applications, import_people

    service = import_applications if kind == "applications" else import_people
    start = time.perf_counter()
    sheet = parse_upload(SimpleUploadedFile("import.csv", data))
    print(line("read the file (each request)", n, time.perf_counter() - start, 0))
    for step, dry_run in (
        ("preview (dry run, in the request)", True),
        ("confirm (write, in the request)", False),
    ):
        queries, wrapper = counting(connection)
        with wrapper:
            start = time.perf_counter()
            report = service(
                program=program, rows=sheet, skip_bad_rows=False, by=by, dry_run=dry_run
            )
            seconds = time.perf_counter() - start
        assert not report.bad_rows, report.bad_rows[:3]
        print(line(step, n, seconds, len(queries)))


def after(program, by, data: bytes, n: int, connection, *, kind: str) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from maillage.portability import jobs
    from maillage.portability.models import ImportJob

    queries, wrapper = counting(connection)
    with wrapper:
        start = time.perf_counter()
        job = jobs.start_import(
            program=program,
            kind=kind,
            upload=SimpleUploadedFile("import.csv", data),
            skip_bad_rows=False,
            by=by,
        )
        seconds = time.perf_counter() - start
    print(line("upload (the request: store the file, queue the task)", n, seconds, len(queries)))
    queries, wrapper = counting(connection)
    with wrapper:
        start = time.perf_counter()
        jobs.preview_import(job_id=job.pk)
        seconds = time.perf_counter() - start
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED, (job.status, job.error)
    preview = jobs.report_of(job.preview)
    assert not preview.bad_rows, preview.bad_rows[:3]
    print(line("read once + preview (the worker)", n, seconds, len(queries)))
    queries, wrapper = counting(connection)
    with wrapper:
        start = time.perf_counter()
        job, queued = jobs.confirm_import(job=job, revision=job.revision, by=by)
        seconds = time.perf_counter() - start
    assert queued
    print(line("confirm (the request: queue the task)", n, seconds, len(queries)))
    queries, wrapper = counting(connection)
    with wrapper:
        start = time.perf_counter()
        job = jobs.write_job(job_id=job.pk)
        seconds = time.perf_counter() - start
    assert job.status == ImportJob.Status.DONE, (job.status, job.error)
    print(line("write in bulk (the worker)", n, seconds, len(queries)))


if __name__ == "__main__":
    main()
