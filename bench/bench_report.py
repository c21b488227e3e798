"""Time the shared measurement and the impact report on a generated network of 200 programs.

    .venv/bin/python bench/bench_report.py                 # 200 programs, seed 1
    .venv/bin/python bench/bench_report.py --programs 50 --seed 3

Runs on a throw-away SQLite database (migrated first). Seeded and deterministic: the demo program
(``demo.editions.build_demo``) plus N programs of as many member organizations, each with
applications (with answers), two groups of one mentor and two mentees, held meetings and time
entries, all written with ``bulk_create``. The network has four computed indicators (fed by
``reports.indicators.program_indicators``) and one entered (tonnes per quarter, seed 004), a
baseline and a plan of three dates. Prints one markdown table of wall times.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROWS: list[tuple[str, float, str]] = []


@contextmanager
def timed(label: str, note: str = ""):
    start = time.perf_counter()
    yield
    ROWS.append((label, time.perf_counter() - start, note))


def setup_django(db_path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
    # A developer's run on a throwaway database: the development key is fine here.
    os.environ.setdefault("MAILLAGE_DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(n_programs: int, seed: int):
    from django.utils import timezone

    from maillage.core.models import Organization, Person, Sector, Territory
    from maillage.intake.models import Application
    from maillage.measurement import services
    from maillage.measurement.models import Measurement, MemberProgram, NetworkMember
    from maillage.mentoring.models import Group, GroupMember, Meeting, TimeEntry
    from maillage.programs.models import Program, Role

    rng = random.Random(seed)
    sector = Sector.objects.first()
    regions = list(Territory.objects.filter(parent__isnull=True))
    start = date(2026, 1, 5)
    orgs = Organization.objects.bulk_create(
        Organization(name=f"Membre {i:03d}", sector=sector, territory=rng.choice(regions))
        for i in range(n_programs + 1)
    )
    backbone, orgs = orgs[0], orgs[1:]
    programs = Program.objects.bulk_create(
        Program(
            title=f"Programme {i:03d}",
            theme="Réemploi alimentaire",
            coordinating_organization=org,
            start_date=start,
            end_date=start + timedelta(days=330),
        )
        for i, org in enumerate(orgs)
    )
    people = Person.objects.bulk_create(
        Person(first_name=f"P{i}", last_name=f"N{j}", email=f"p{i}.{j}@exemple.org")
        for i in range(n_programs)
        for j in range(7)
    )
    roles = []
    kinds = ["coordinator", "mentor", "mentee", "mentee", "mentor", "mentee", "mentee"]
    for i, program in enumerate(programs):
        for j, kind in enumerate(kinds):
            roles.append(Role(program=program, person=people[i * 7 + j], kind=kind))
    roles = Role.objects.bulk_create(roles)
    Application.objects.bulk_create(
        Application(
            program=program,
            contact_name=f"Candidature {i}-{a}",
            answers={"besoin": rng.choice(["logistique", "synergies"]), "taille": a % 5},
            status=rng.choice(["received", "selected"]),
        )
        for i, program in enumerate(programs)
        for a in range(rng.randint(3, 30))
    )
    now = timezone.make_aware(datetime.combine(start, datetime.min.time()))
    groups = Group.objects.bulk_create(
        Group(program=program, name=f"G{i}-{g}", approved_at=now, hours_bank=Decimal(20))
        for i, program in enumerate(programs)
        for g in range(2)
    )
    members, meetings, entries = [], [], []
    for index, group in enumerate(groups):
        i, g = divmod(index, 2)
        base = i * 7 + 1 + g * 3  # the mentor then two mentees of this group
        members.append(GroupMember(group=group, role=roles[base], side="mentor"))
        members += [GroupMember(group=group, role=roles[base + d], side="mentee") for d in (1, 2)]
        for m in range(rng.randint(4, 12)):
            when = now + timedelta(days=14 * m + rng.randint(0, 3))
            meetings.append(
                Meeting(
                    group=group,
                    kind=rng.choice(["collective", "individual"]),
                    starts_at=when,
                    status="held",
                    uid=f"bench-{index}-{m}@maillage",
                )
            )
            entries.append(
                TimeEntry(
                    group=group,
                    person=people[base],
                    date=when.date(),
                    minutes=rng.choice([60, 90, 120]),
                    kind="meeting",
                )
            )
    GroupMember.objects.bulk_create(members)
    Meeting.objects.bulk_create(meetings)
    TimeEntry.objects.bulk_create(entries)

    network = services.create_network(backbone=backbone, name="Réseau de banc d’essai")
    net_members = NetworkMember.objects.bulk_create(
        NetworkMember(network=network, organization=org) for org in orgs
    )
    MemberProgram.objects.bulk_create(
        MemberProgram(member=m, program=p, consent_by=people[i * 7], consent_at=now)
        for i, (m, p) in enumerate(zip(net_members, programs, strict=True))
    )
    computed = [
        ("candidatures", "Candidatures reçues", "applications_received", True),
        ("mentorees", "Personnes mentorées", "mentees", True),
        ("rencontres", "Rencontres tenues", "meetings_held.total", False),
        ("heures", "Heures utilisées", "hours.used", False),
    ]
    for code, label, key, people_count in computed:
        indicator = services.define_indicator(
            network=network,
            code=code,
            label_fr=label,
            kind="computed",
            source_key=key,
            counts_people=people_count,
        )
        services.set_baseline(indicator=indicator, value=Decimal(0), on=start)
        for month, value in ((3, 100), (6, 400), (9, 800)):
            services.set_target(indicator=indicator, on=date(2026, month, 30), value=Decimal(value))
    tonnes = services.define_indicator(
        network=network, code="tonnes", label_fr="Tonnes offertes à prix social", unit="t"
    )
    services.set_baseline(indicator=tonnes, value=Decimal(30), on=start)
    services.set_target(indicator=tonnes, on=date(2026, 12, 31), value=Decimal(500))
    quarters = [(date(2026, m, 1), date(2026, m + 2, 28)) for m in (1, 4, 7, 10)]
    Measurement.objects.bulk_create(
        Measurement(
            indicator=tonnes,
            member=m,
            period_start=q0,
            period_end=q1,
            value=Decimal(rng.randint(0, 40)) / 10,
        )
        for m in net_members
        for q0, q1 in quarters
    )
    return network


def close_period_before(*, network, period_start: date, period_end: date) -> int:
    """`services.close_period` as it was before stored figures: one `update_or_create` (and a
    lazy `link.member`) per indicator and program; kept here to time it against the new one."""
    from maillage.measurement.aggregation import figure, program_figures
    from maillage.measurement.models import Indicator, Measurement, MemberProgram

    count, cache = 0, {}
    links = MemberProgram.objects.filter(member__network=network).select_related("program")
    indicators = network.indicators.filter(kind=Indicator.Kind.COMPUTED)
    keys = {indicator.source_key for indicator in indicators}
    for indicator in indicators:
        for link in links:
            if link.program_id not in cache:
                cache[link.program_id] = program_figures(
                    link.program, until=period_end, fallback=keys
                )
            value = figure(cache[link.program_id], indicator.source_key)
            Measurement.objects.update_or_create(
                indicator=indicator,
                member=link.member,
                program=link.program,
                period_start=period_start,
                period_end=period_end,
                defaults={"value": Decimal(str(value or 0)), "is_snapshot": True},
            )
            count += 1
    return count


def _page(client, url: str) -> tuple[int, int]:
    """GET the page through the whole stack: (status, queries)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()  # DEBUG keeps only the last 9,000: count from empty
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return status, len(queries)


def _bench_network(network) -> None:
    """The network page before (every program computed on each view) and after (stored
    figures), side by side; the refresh that stores them; close_period before and after."""
    from functools import partial

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from maillage.core.models import Person
    from maillage.measurement import aggregation, services
    from maillage.measurement import views as measurement_views
    from maillage.measurement.models import NetworkRole, ProgramFigures

    setup_test_environment()
    user = get_user_model().objects.create_user(username="banc@exemple.org", password=None)
    staff = Person.objects.create(
        user=user, first_name="Banc", last_name="Essai", email="banc@exemple.org"
    )
    services.assign_network_role(network=network, person=staff, kind=NetworkRole.Kind.STAFF)
    client = Client()
    client.force_login(staff.user)
    url = reverse("measurement:network", args=[network.pk])
    n = network.members.count()

    with timed("network page aggregation BEFORE: live (staff view)"):
        views = aggregation.network_views(network, with_members=True, live=True)
    points = sum(len(v.points) for v in views)
    ROWS[-1] = (*ROWS[-1][:2], f"5 indicators, {points} points, {n} programs computed")
    with timed("network page aggregation BEFORE: live (funder view)"):
        aggregation.network_views(network, with_members=False, live=True)
    # The view as it was: every program computed (live), nothing stored first.
    stored_page, ensure = measurement_views.network_page, services.ensure_figures
    measurement_views.network_page = partial(stored_page, live=True)
    services.ensure_figures = lambda **kwargs: 0
    try:
        with timed("network page BEFORE: GET as staff, live"):
            status, queries = _page(client, url)
        ROWS[-1] = (*ROWS[-1][:2], f"HTTP {status}, {queries} queries")
    finally:
        measurement_views.network_page, services.ensure_figures = stored_page, ensure

    with timed(f"refresh_figures: all {n} programs computed and stored"):
        refreshed = services.refresh_figures(network=network)
    ROWS[-1] = (*ROWS[-1][:2], f"{refreshed} programs (what the task and the daily job run)")
    with timed("network page aggregation AFTER: stored figures (staff view)"):
        after = aggregation.network_views(network, with_members=True)
    same = [v.points for v in after] == [v.points for v in views]
    ROWS[-1] = (*ROWS[-1][:2], f"same points as live: {same}")
    with timed("network page aggregation AFTER: stored figures (funder view)"):
        aggregation.network_views(network, with_members=False)
    for i in (1, 2):
        with timed(f"network page AFTER: GET as staff, stored figures, view {i}"):
            status, queries = _page(client, url)
        ROWS[-1] = (*ROWS[-1][:2], f"HTTP {status}, {queries} queries")
    ProgramFigures.objects.filter(pk=ProgramFigures.objects.order_by("pk")[0].pk).delete()
    with timed("network page AFTER: GET as staff, one program just shared"):
        status, queries = _page(client, url)
    ROWS[-1] = (*ROWS[-1][:2], f"HTTP {status}, {queries} queries: it is computed and stored")

    with timed("close a period BEFORE (update_or_create per snapshot)"):
        count = close_period_before(
            network=network, period_start=date(2026, 4, 1), period_end=date(2026, 6, 30)
        )
    ROWS[-1] = (*ROWS[-1][:2], f"{count} snapshots")
    with timed("close a period AFTER (services.close_period, bulk writes)"):
        count = services.close_period(
            network=network, period_start=date(2026, 7, 1), period_end=date(2026, 9, 30)
        )
    ROWS[-1] = (*ROWS[-1][:2], f"{count} snapshots")
    with timed("close the same period again AFTER (bulk update)"):
        count = services.close_period(
            network=network, period_start=date(2026, 7, 1), period_end=date(2026, 9, 30)
        )
    ROWS[-1] = (*ROWS[-1][:2], f"{count} snapshots")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Load average (1, 5, 15 min) at the start: {load} on {os.cpu_count()} CPUs.")
    with tempfile.TemporaryDirectory() as tmp:
        with timed("migrate a fresh SQLite database"):
            setup_django(str(Path(tmp) / "bench.sqlite3"))
        from django.template.loader import render_to_string
        from django.utils import translation

        from maillage.demo.editions import build_demo

        with timed("build the demo program (services)"):
            demo = build_demo()
        with timed(f"generate {args.programs} programs (bulk_create)"):
            network = generate(args.programs, args.seed)
        from maillage.intake.models import Application
        from maillage.mentoring.models import Meeting

        note = f"{Application.objects.count()} applications, {Meeting.objects.count()} meetings"
        ROWS[-1] = (*ROWS[-1][:2], note)

        _bench_network(network)

        try:
            from maillage.reports.indicators import program_indicators
        except ImportError:
            program_indicators = None
        if program_indicators:
            with timed("program_indicators(demo program)"):
                program_indicators(demo)
        try:
            from maillage.reports import selectors
            from maillage.reports.services import get_or_create_draft
        except ImportError:
            selectors = None
        if selectors:
            report = get_or_create_draft(program=demo, language="fr")
            with timed("report data + HTML (demo program)"):
                data = selectors.report_data(report)
                with translation.override(report.language):
                    html = render_to_string(
                        "reports/report_pdf.html",
                        {"data": data, "charts": selectors.report_charts(data), "report": report},
                    )
            from weasyprint import HTML

            with timed("report PDF through WeasyPrint (demo program)"):
                pdf = HTML(string=html, base_url=str(ROOT)).write_pdf()
            ROWS[-1] = (*ROWS[-1][:2], f"{len(pdf) // 1024} KiB")

    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Load average (1, 5, 15 min) at the end: {load} on {os.cpu_count()} CPUs.\n")
    print("| step | seconds | note |")
    print("|---|---:|---|")
    for label, seconds, note in ROWS:
        print(f"| {label} | {seconds:.2f} | {note} |")


if __name__ == "__main__":
    main()
