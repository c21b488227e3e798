"""The server's cost per request, page by page, measured in one process (issue 14).

    DATABASE_URL=postgres://… .venv/bin/python bench/load/cost.py --targets /tmp/load/targets.json
    … --repeat 40 --cprofile /tmp/prof      # also one cProfile file (.prof) and summary per page

Under load, latency is the queue: what decides p95 at 50 users on 2 cores is the CPU each
request costs. This measures it without the load, so that it does not depend on what else the
machine runs: every page of the load mix is requested through Django's whole stack (every
middleware, the session, the templates) by Django's test client, signed in as the locust users
are (a real session, made once before the measure), `--repeat` times after a warm-up. Per page:
the Python CPU of this process per request (`time.process_time`), the PostgreSQL server's CPU
per request (every backend of the cluster, from /proc: another program's queries on the same
cluster count too, so run it alone), the number of SQL queries, the Python function calls of
one request (cProfile's count: the same on a busy machine as on a quiet one) and the wall time. The public
form is requested and sent as the applicants do (GET, then POST with its tokens), each POST a
new e-mail, and the e-mails are appended to --sent so that `check_sent.py` still proves them.
"""

from __future__ import annotations

import argparse
import cProfile
import html
import io
import json
import os
import pstats
import re
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

TOKEN = re.compile(r'name="(csrfmiddlewaretoken|form_token)" value="([^"]+)"')
# The public form's last answer: its thanks page's address, and whether the POST redirected.
FORM_STATE: dict[str, str] = {}
THANKS_ADDRESS = re.compile(r'data-url="([^"]*/merci/[^"]*)"')
TICKS = os.sysconf("SC_CLK_TCK")
SHOW_QUERIES = "--queries" in sys.argv


def postgres_cpu_seconds() -> float:
    """CPU of the whole PostgreSQL cluster: the postmaster with its reaped children (cutime),
    plus every live backend. Backends that end with each request (CONN_MAX_AGE=0) are in cutime."""
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            comm = Path(f"/proc/{pid}/comm").read_text().strip()
            if not comm.startswith(("postgres", "postmaster")):
                continue
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # fields[0] is state (field 3): utime 14, stime 15, cutime 16, cstime 17 → 11..14 here.
        total += sum(int(f) for f in fields[11:15])
    return total / TICKS


class Queries:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # noqa: ANN001
        self.count += 1
        return execute(sql, params, many, context)


def signed_in(email: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    return client


def form_data(html: str, email: str) -> dict[str, str]:
    return {
        "q_organization": "Frigo solidaire (charge)",
        "q_region": "QC-12",
        "q_contact_name": "Jeanne Charge",
        "q_email": email,
        "q_position": "Coordination",
        "q_concept": "Un frigo partagé.",
        "q_operations": "Collecte, tri, entreposage au froid.",
        "q_barriers": "Transport réfrigéré.",
        "q_mentoring_help": "Apprendre la logistique du froid.",
        "q_revise_processes": "Je dirige l’organisme.",
        "q_comments": "",
        "consent": "on",
        "site_web": "",
        **dict(TOKEN.findall(html)),
    }


def pages(targets: dict, sent: Path):
    """(name, callable making one request) for each request of the load mix."""
    coordinator = targets["coordinators"][0]
    mentee = targets["mentees"][0]
    boss = signed_in(coordinator["email"])
    reader = signed_in(mentee["email"])
    anonymous = Client()
    program, groups = coordinator["program"], coordinator["groups"]
    form_url = f"/formulaire/{targets['forms'][0]}/"
    turn = {"group": 0}

    def forget_fragments():
        from maillage.core.fragments import fragment_cache

        fragment_cache().clear()

    def group_page():
        turn["group"] += 1
        return boss.get(f"/programmes/{program}/groupes/{groups[turn['group'] % len(groups)]}/")

    state = FORM_STATE

    def form_get():
        response = anonymous.get(form_url)
        state["html"] = response.content.decode()
        return response

    def form_post_prepare():
        form_get()  # its own tokens (a once-token is spent by its POST), outside the measure

    def form_post():
        email = f"{uuid.uuid4().hex[:16]}@charge.example"
        # Urlencoded, as a browser (and locust, and wrk) sends this form: the test client's
        # default multipart body cost the parser about 1,500 calls a browser never makes us pay.
        response = anonymous.post(
            form_url,
            urlencode(form_data(state["html"], email)),
            content_type="application/x-www-form-urlencoded",
        )
        # The thanks page answers the POST itself (200, carrying its own address); before
        # 8 December 2026 a redirect led to it, and the applicant's browser then read it.
        shown = (
            THANKS_ADDRESS.search(response.content.decode())
            if response.status_code == 200
            else None
        )
        if shown or (response.status_code == 302 and "/merci/" in response["Location"]):
            state["thanks"] = html.unescape(shown.group(1)) if shown else response["Location"]
            state["redirected"] = "" if shown else "yes"
            with sent.open("a", encoding="utf-8") as out:
                out.write(email + "\n")
        else:
            raise SystemExit(
                f"public form not accepted: {response.status_code} "
                + re.sub(r"\s+", " ", response.content.decode())[-1500:]
            )
        return response

    return [  # (name, request[, what to do before each request, outside the measure])
        ("dashboard (suivi)", lambda: boss.get(f"/programmes/{program}/suivi/")),
        # A group whose body is not in the fragment cache (emptied before each, outside the
        # measure): a coordinator's first visit of it, or the first after a change.
        ("group page", group_page, forget_fragments),
        # The same group again: its body found in the fragment cache (core.fragments).
        (
            "group page (seen before)",
            lambda: boss.get(f"/programmes/{program}/groupes/{groups[0]}/"),
        ),
        ("groups list", lambda: boss.get(f"/programmes/{program}/groupes/")),
        ("mentee home (mes programmes)", lambda: reader.get("/programmes/")),
        (
            "mentee group",
            lambda: reader.get(f"/programmes/{mentee['program']}/groupes/{mentee['group']}/"),
        ),
        ("public form", form_get),
        ("public form (send)", form_post, form_post_prepare),
        ("public form (thanks)", lambda: anonymous.get(state["thanks"])),
    ]


def measure(name: str, request, prepare, repeat: int, prof_dir: Path | None) -> dict:
    for _ in range(3):  # warm-up: imports, template cache, the first connection
        prepare()
        response = request()
    assert response.status_code in (200, 302), (name, response.status_code)
    counter = Queries()
    walls, cpus, pg_cpus, queries = [], [], [], []
    profiler = cProfile.Profile(time.process_time) if prof_dir else None  # CPU, not wall
    for _ in range(repeat):
        prepare()
        before_queries = counter.count
        pg0, cpu0, wall0 = postgres_cpu_seconds(), time.process_time(), time.perf_counter()
        with connection.execute_wrapper(counter):
            if profiler:
                profiler.enable()
            request()
            if profiler:
                profiler.disable()
        wall1, cpu1 = time.perf_counter(), time.process_time()
        pg1 = postgres_cpu_seconds()
        walls.append((wall1 - wall0) * 1000)
        cpus.append((cpu1 - cpu0) * 1000)
        pg_cpus.append((pg1 - pg0) * 1000)
        queries.append(counter.count - before_queries)
    # The Python work of one more request, counted by cProfile: function calls do not depend
    # on what else the machine runs, where CPU milliseconds do (shared cores, caches).
    prepare()
    counting = cProfile.Profile()
    counting.enable()
    request()
    counting.disable()
    calls = pstats.Stats(counting).total_calls
    if SHOW_QUERIES:
        prepare()
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            request()
        print(f"-- {name}: {len(captured)} queries", file=sys.stderr)
        for query in captured.captured_queries:
            print("   ", query["sql"][:160], file=sys.stderr)
    if profiler:
        slug = re.sub(r"[^a-z]+", "-", name).strip("-")
        profiler.dump_stats(prof_dir / f"{slug}.prof")
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(60)
        (prof_dir / f"{slug}.txt").write_text(text.getvalue())
    return {
        "page": name,
        "python_cpu_ms": statistics.median(cpus),
        "postgres_cpu_ms": statistics.mean(pg_cpus),
        "queries": statistics.median(queries),
        "wall_ms": statistics.median(walls),
        "calls": calls,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=Path, default=Path("/tmp/load/targets.json"))
    parser.add_argument("--sent", type=Path, default=Path("/tmp/load/sent-profile.txt"))
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--cprofile", type=Path, help="folder for one .prof and .txt per page")
    parser.add_argument(
        "--only", help="measure only the requests whose name contains this (« public form »)"
    )
    parser.add_argument(
        "--queries", action="store_true", help="print each measured request's SQL once"
    )
    args = parser.parse_args()
    if args.cprofile:
        args.cprofile.mkdir(parents=True, exist_ok=True)
    targets = json.loads(args.targets.read_text())
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    rows = [
        measure(name, request, *(prepare or [lambda: None]), args.repeat, args.cprofile)
        for name, request, *prepare in pages(targets, args.sent)
        if not args.only or args.only in name
    ]
    print(
        f"load average at start: {load}; {args.repeat} requests a page, medians "
        "(PostgreSQL CPU: mean)"
    )
    print(
        "| request | Python CPU ms | PostgreSQL CPU ms | total CPU ms | queries "
        "| Python calls | wall ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        total = r["python_cpu_ms"] + r["postgres_cpu_ms"]
        print(
            f"| {r['page']} | {r['python_cpu_ms']:.1f} | {r['postgres_cpu_ms']:.1f} | "
            f"{total:.1f} | {r['queries']:.0f} | {r['calls']:,} | {r['wall_ms']:.1f} |"
        )
    # The locust mix, in requests a second per 5 users: 2 coordinators and 2 mentees at about
    # one page a second each (their tasks 3:3:1 and 3:1), 1 applicant sending GET + POST every
    # 0.4 s of think time (plus the two answers' time: about 2 pairs a second).
    mix = {
        "dashboard (suivi)": 2 * 3 / 7,
        "group page": 2 * 3 / 7,
        "groups list": 2 * 1 / 7,
        "mentee home (mes programmes)": 2 * 3 / 4,
        "mentee group": 2 * 1 / 4,
        "public form": 2,
        "public form (send)": 2,
    }
    if args.only:
        # One submission: the form, sending it, and the thanks page when the POST redirected
        # to it (when the POST answers with the page, its row is what a reload would cost).
        submission = sum(
            r["python_cpu_ms"] + r["postgres_cpu_ms"]
            for r in rows
            if r["page"] != "public form (thanks)" or FORM_STATE.get("redirected")
        )
        print(
            f"\none submission (the rows above): {submission:.1f} ms of server CPU "
            f"(2 cores ⇒ at most ≈ {2000 / submission:.0f} submissions/s, the client not counted)"
        )
        return
    # The thanks page is left out of the mix, so that figures stay comparable with earlier ones.
    weighted = sum(
        mix.get(r["page"], 0) * (r["python_cpu_ms"] + r["postgres_cpu_ms"]) for r in rows
    )
    print(
        f"\nmix-weighted total CPU per request: {weighted / sum(mix.values()):.1f} ms "
        f"(2 cores ⇒ at most ≈ {2000 / (weighted / sum(mix.values())):.0f} req/s)"
    )
    print(f"load average at end: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")


if __name__ == "__main__":
    main()
