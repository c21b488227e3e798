"""Time an import of people as the import page runs it today: the preview (a dry run) then the
confirmation (the write), each over every row, inside the request (issue 14).

    .venv/bin/python bench/bench_imports.py              # 20,000 rows
    .venv/bin/python bench/bench_imports.py --rows 2000

Runs on a throw-away SQLite database (migrated, the demo program loaded). The rows are new
people (distinct e-mails) in ten organizations spread over the regions, half mentors, half
mentees. Prints the seconds and the queries per row of each step, with the load average.
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


def rows(n: int) -> list[list[str]]:
    header = ["Prénom", "Nom", "Courriel", "Organisation", "Région", "Rôle", "Volet"]
    regions = [f"{i:02d}" for i in range(1, 18)]
    return [header] + [
        [
            f"Prénom{i}",
            f"Nom{i}",
            f"personne{i}@exemple.org",
            f"Organisme {i % 10}",
            regions[i % len(regions)],
            "mentor·e" if i % 2 else "mentoré·e",
            "",
        ]
        for i in range(n)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(str(Path(tmp) / "bench.sqlite3"))
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db import connection

        from maillage.demo.editions import build_demo
        from maillage.portability.reading import parse_upload
        from maillage.portability.services import import_people

        program = build_demo()
        by = program.roles.filter(kind="coordinator").first().person.user
        data = "\r\n".join(",".join(row) for row in rows(args.rows)).encode()
        start = time.perf_counter()
        sheet = parse_upload(SimpleUploadedFile("personnes.csv", data))
        parsed = time.perf_counter() - start
        print("| step | rows | seconds | queries | queries per row | load average (1, 5, 15 min) |")
        print("| --- | ---: | ---: | ---: | ---: | --- |")
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"| read the file (each request) | {args.rows} | {parsed:.1f} | 0 | 0 | {load} |")
        for step, dry_run in (("preview (dry run)", True), ("confirm (write)", False)):
            queries = []

            def counted(execute, sql, params, many, context, queries=queries):
                queries.append(1)
                return execute(sql, params, many, context)

            # A wrapper counts them all (CaptureQueriesContext keeps the last 9,000 only).
            with connection.execute_wrapper(counted):
                start = time.perf_counter()
                report = import_people(
                    program=program, rows=sheet, skip_bad_rows=False, by=by, dry_run=dry_run
                )
                seconds = time.perf_counter() - start
            assert not report.bad_rows, report.bad_rows[:3]
            load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
            count = len(queries)
            print(
                f"| {step} | {args.rows} | {seconds:.1f} | {count} |"
                f" {count / args.rows:.1f} | {load} |"
            )


if __name__ == "__main__":
    main()
