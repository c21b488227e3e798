"""« Mes programmes »: queries and CPU per request for the demo's four personas, and the queries
each receiver of `dashboard_todo` / `dashboard_elsewhere` runs (issue 14, « Fast pages »).

Run on a throwaway copy of the demo (never on real data: it signs the personas in):

    MAILLAGE_DATA_DIR=/tmp/demo MAILLAGE_DEBUG=1 python manage.py migrate
    MAILLAGE_DATA_DIR=/tmp/demo MAILLAGE_DEBUG=1 python manage.py load_demo
    MAILLAGE_DATA_DIR=/tmp/demo MAILLAGE_DEBUG=1 python bench/home_queries.py [--repeat 20]

In process (Django's test client): no server, no network; CPU is `time.process_time()` per
request, the median of `--repeat` requests after one warm-up request.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
# The coordinator and the network staff would be sent to « Sécurité du compte » (no second
# factor in the demo): measured as the tests see the page, the second-factor check off.
os.environ.setdefault("MAILLAGE_MFA_REQUIRED", "0")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

PERSONAS = {
    "mentee": "sophie.lavoie@demo.maillage.org",
    "mentor": "marc.tremblay@demo.maillage.org",
    "coordinator": "camille.gagnon@demo.maillage.org",
    "network staff": "julie.bergeron@demo.maillage.org",
}

per_receiver: dict[str, int] = defaultdict(int)


def _instrument() -> None:
    """Count the queries of each receiver of the two « Mes programmes » signals."""
    from maillage.programs import signals

    for signal in (signals.dashboard_todo, signals.dashboard_elsewhere):

        def send(sender, _signal=signal, **named):
            answers = []
            for receiver in _signal._live_receivers(sender)[0]:
                name = f"{receiver.__module__}.{receiver.__name__}"
                # Not a nested CaptureQueriesContext: its exit would reconnect reset_queries.
                before = len(connection.queries_log)
                answers.append((receiver, receiver(signal=_signal, sender=sender, **named)))
                per_receiver[name] += len(connection.queries_log) - before
            return answers

        signal.send = send


def measure(email: str, url: str, repeat: int) -> tuple[int, float, dict[str, int]]:
    from django.contrib.auth import get_user_model

    client = Client()
    # Signed in without the password check (django-axes wants a request; PBKDF2 is not measured).
    client.force_login(get_user_model().objects.get(email=email))
    client.get(url)  # a first visit may write (a read marker): count a later one
    per_receiver.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (email, response.status_code)
    # Counted now: the requests below reset the connection's log that `queries` reads.
    n, receivers = len(queries), dict(per_receiver)
    cpu = []
    for _ in range(repeat):
        start = time.process_time()
        client.get(url)
        cpu.append((time.process_time() - start) * 1000)
    return n, statistics.median(cpu), receivers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--receivers", action="store_true", help="per-receiver query counts")
    args = parser.parse_args()
    if args.receivers:
        _instrument()
    print(f"load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    url = reverse("programs:dashboard")
    for who, email in PERSONAS.items():
        n, cpu, receivers = measure(email, url, args.repeat)
        print(f"{who:14} {n:3d} queries  {cpu:6.1f} ms CPU (median of {args.repeat})")
        for name, q in sorted(receivers.items(), key=lambda kv: -kv[1]):
            if q:
                print(f"    {q:3d}  {name.removeprefix('maillage.')}")
    # The other home pages: the coordinator's program dashboard, the network staff's network.
    from maillage.measurement.models import Network
    from maillage.programs.models import Program, Role

    coordinated = Program.objects.filter(
        roles__person__user__email=PERSONAS["coordinator"], roles__kind=Role.Kind.COORDINATOR
    ).first()
    network = Network.objects.filter(roles__person__user__email=PERSONAS["network staff"]).first()
    for who, page in (
        ("coordinator", reverse("programs:detail", args=[coordinated.pk])),
        ("network staff", reverse("measurement:network", args=[network.pk])),
    ):
        n, cpu, _receivers = measure(PERSONAS[who], page, args.repeat)
        print(f"{who:14} {n:3d} queries  {cpu:6.1f} ms CPU  {page}")
    print(f"load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")


if __name__ == "__main__":
    main()
