"""After a fault run: what was kept, what was lost, what users were shown.

    DATABASE_URL=… python bench/faults/check.py OUT_DIR [--tasks]

Reads OUT_DIR/sent.txt (answers the server accepted), OUT_DIR/outcomes.jsonl (every sending and
what came back), OUT_DIR/mailbox.txt (e-mails sent, with --tasks) and the database. Prints one
markdown block; exits 1 when an accepted answer is lost or stored twice, a row is half-written,
a user got a bare 500, or (with --tasks) a confirmation went out zero or two times. With
--postgres (the restart): also when the task worker had to be started again (it must wait for
the database), or a task waiting or in hand as the database went (queued_at_restart.txt) did not
run exactly once.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")

import django  # noqa: E402

django.setup()

from django_tasks_db.models import DBTaskResult  # noqa: E402

from maillage.intake.models import Application  # noqa: E402

TASK = "maillage.intake.tasks.send_application_confirmation"


def lines(path: Path) -> list[str]:
    return [s.strip() for s in path.read_text().splitlines() if s.strip()] if path.exists() else []


def main() -> int:
    out = Path(sys.argv[1])
    tasks = "--tasks" in sys.argv
    problems: list[str] = []

    sent = lines(out / "sent.txt")
    apps = list(
        Application.objects.filter(email__endswith="@charge.example").values(
            "pk", "email", "answers", "consent_at", "confirmation_sent_at"
        )
    )
    stored = Counter(a["email"] for a in apps)
    lost = [e for e in sent if stored[e] == 0]
    doubled = [e for e, n in stored.items() if n > 1]
    # Half-written: an application without its answers or its consent.
    half = [
        a["pk"]
        for a in apps
        if "frigo partagé" not in json.dumps(a["answers"], ensure_ascii=False)
        or a["consent_at"] is None
    ]
    print(
        f"- answers accepted {len(sent)}, stored {len(apps)}, lost {len(lost)}, "
        f"stored twice {len(doubled)}, half-written {len(half)}"
    )
    if lost or doubled or half:
        problems.append("lost, doubled or half-written answers")
    unanswered = len(apps) - len(set(sent))
    if unanswered > 0:
        print(
            f"- stored but the sender never saw « merci » (connection cut, or the load ended first): {unanswered}"
        )

    outcomes = [json.loads(s) for s in lines(out / "outcomes.jsonl")]
    sends = [o for o in outcomes if o["kind"] == "send"]
    first = [o for o in sends if o["attempt"] == 0]
    statuses = Counter(o["status"] for o in sends)
    failed = [o for o in first if not o.get("accepted")]
    print(
        f"- sendings {len(first)} (+{len(sends) - len(first)} sent again from the 503 page), "
        f"failed first time {len(failed)} ({100 * len(failed) / max(1, len(first)):.1f} %); "
        f"statuses {dict(sorted(statuses.items()))}"
    )
    unavailable = [o for o in sends if o["status"] == 503]
    if unavailable:
        after = [o for o in unavailable if o.get("redirected")]
        before = [o for o in unavailable if not o.get("redirected")]
        kept = sum(1 for o in before if o["kept"] and o["resend_form"])
        print(
            f"- 503 pages on sending that kept the text and offered « Envoyer de nouveau »: "
            f"{kept}/{len(before)}; 503 on the thank-you page after the answer was stored: "
            f"{len(after)} (stored: {sum(1 for o in after if stored[o['email']])})"
        )
        if kept < len(before):
            problems.append("a 503 page without the text typed")
    retried = {o["email"] for o in sends if o["attempt"] > 0}
    if retried:
        accepted_again = {o["email"] for o in sends if o["attempt"] > 0 and o.get("accepted")}
        print(
            f"- sent again from the 503 page: {len(retried)} answers, accepted {len(accepted_again)}, "
            f"stored twice among them {sum(1 for e in retried if stored[e] > 1)}"
        )
    if statuses.get(500):
        problems.append(f"{statuses[500]} bare 500 on sending")
    access = out / "access.log"
    bare = (
        [s for s in lines(access) if s.split('"')[2].split()[:1] == ["500"]]
        if access.exists()
        else []
    )
    if bare:
        print(f"- bare 500 in the access log: {len(bare)} ({bare[0].split(chr(34))[1]} …)")
        problems.append(f"{len(bare)} bare 500 in the access log")
    if statuses.get(0):
        print(f"- connections cut under the request (no page at all): {statuses[0]}")
    pages = Counter(o["status"] for o in outcomes if o["kind"] == "form page")
    if pages:
        print(f"- form pages that failed: {dict(pages)}")

    if tasks:
        mails = Counter(line.split("\t")[0] for line in lines(out / "mailbox.txt"))
        runs = Counter()
        status = Counter()
        for r in DBTaskResult.objects.filter(task_path=TASK).values("args_kwargs", "status"):
            runs[r["args_kwargs"]["kwargs"]["application_id"]] += 1
            status[r["status"]] += 1
        by_count = Counter(mails[a["email"]] for a in apps)
        not_queued = sum(1 for a in apps if runs[a["pk"]] == 0)
        queued_twice = sum(1 for a in apps if runs[a["pk"]] > 1)
        no_stamp = sum(1 for a in apps if a["confirmation_sent_at"] is None)
        print(
            f"- confirmation tasks {dict(status)}; applications with no task {not_queued}, "
            f"with two {queued_twice}"
        )
        print(
            f"- confirmations e-mailed per application {dict(sorted(by_count.items()))} "
            f"(0 = never sent, 2 = sent twice); without confirmation_sent_at {no_stamp}"
        )
        if set(by_count) - {1} or status.get("RUNNING") or not_queued:
            problems.append("a task run zero or two times, or left running")
    if "--postgres" in sys.argv:
        problems += restart(out)
    print(f"- verdict: {'; '.join(problems) if problems else 'nothing lost, nothing doubled'}")
    return 1 if problems else 0


def restart(out: Path) -> list[str]:
    """The task worker through the PostgreSQL restart: still the same process, one line per
    outage in its log, and the tasks queued when the database went each run once."""
    problems = []
    events = lines(out / "events.txt")
    starts = sum(1 for e in events if "task worker started" in e)
    log = lines(out / "worker.log")
    went = sum(1 for s in log if "database unavailable" in s)
    back = sum(1 for s in log if "database back after" in s)
    again = sum(1 for s in log if "running it again" in s)
    print(
        f"- task worker: started {starts} time(s) "
        f"({'never restarted' if starts == 1 else 'it exited and was started again'}); "
        f"its log: {went} « database unavailable », {back} « database back », "
        f"{again} task(s) run again after the database left under them"
    )
    alive = any("the task worker is alive at the end" in e for e in events)
    print(f"- task worker alive at the end of the run: {'yes' if alive else 'no'}")
    if starts != 1 or not alive:
        problems.append("the task worker exited on the restart")
    ids = lines(out / "queued_at_restart.txt")
    if ids:
        rows = {
            str(r["id"]): r
            for r in DBTaskResult.objects.filter(id__in=ids).values(
                "id", "status", "task_path", "args_kwargs"
            )
        }
        status = Counter(r["status"] for r in rows.values())
        mails = Counter(line.split("\t")[0] for line in lines(out / "mailbox.txt"))
        emails = dict(
            Application.objects.filter(
                pk__in=[
                    r["args_kwargs"]["kwargs"].get("application_id")
                    for r in rows.values()
                    if r["task_path"] == TASK
                ]
            ).values_list("pk", "email")
        )
        sent = Counter(mails[e] for e in emails.values())
        print(
            f"- tasks waiting or in hand when the database went: {len(ids)}, now {dict(status)}; "
            f"their confirmations e-mailed {dict(sorted(sent.items()))} (count: applications)"
        )
        if set(status) != {"SUCCESSFUL"} or set(sent) - {1}:
            problems.append("a task queued at the restart did not run exactly once")
    return problems


if __name__ == "__main__":
    raise SystemExit(main())
