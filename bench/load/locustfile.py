"""The load of issue 14: coordinators on their follow-up dashboard and a group's page, mentees
on their home, and people answering a program's public form.

    locust -f bench/load/locustfile.py --headless -u 50 -r 10 -t 60s \
        --host http://127.0.0.1:8040 --csv /tmp/load   (LOAD_TARGETS=/tmp/load-targets.json)

Every submission carries a unique e-mail, recorded in LOAD_SENT (one line each, written only
when the server answered « merci »), so that `check_sent.py` can prove that every accepted
submission was stored once and none lost.

Think time (LOAD_THINK, seconds between two pages of a signed-in user; LOAD_FORM_THINK, an
applicant's time on the form before sending it and before the next applicant comes): by
default 5–15 s, people who read the page they opened before clicking on (a dashboard row, a
group's last meetings); an applicant reading the questions and typing takes far longer, so the
same range is generous. LOAD_THINK="0.5,1.5" is the former profile, users clicking without
reading: 50 of them ask what several hundred people would. LOAD_ROLES="Applicant" with
LOAD_FORM_THINK="0,0" measures the public form alone, as fast as the server takes it.

The users are locust's FastHttpUser (geventhttpclient): the client runs on the same two cores
as the server, and its CPU per request is several times smaller than requests'.
"""

from __future__ import annotations

import json
import os
import random
import re
import uuid

import gevent
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

TARGETS = json.loads(open(os.environ.get("LOAD_TARGETS", "/tmp/load-targets.json")).read())
SENT = os.environ.get("LOAD_SENT", "/tmp/load-sent.txt")
THINK = tuple(float(x) for x in os.environ.get("LOAD_THINK", "5,15").split(","))
FORM_THINK = tuple(
    float(x) for x in os.environ.get("LOAD_FORM_THINK", ",".join(map(str, THINK))).split(",")
)
ROLES = set(filter(None, os.environ.get("LOAD_ROLES", "Coordinator,Mentee,Applicant").split(",")))
# The measured window starts once every user has *signed in* (not merely started: a sign-in
# is PBKDF2, about a second of CPU under load, and 50 of them spill far past the spawn), then
# lasts LOAD_MEASURE_SECONDS; LOAD_READY is a file written at that moment, for run.sh to read
# the server's CPU from then on.
READY = os.environ.get("LOAD_READY")
MEASURE = float(os.environ.get("LOAD_MEASURE_SECONDS", "0"))
_ready = {"users": 0, "done": False}


def user_ready(environment) -> None:
    _ready["users"] += 1
    runner = environment.runner
    if _ready["done"] or _ready["users"] < (runner.target_user_count or 0):
        return
    _ready["done"] = True
    runner.stats.reset_all()
    if READY:
        with open(READY, "w") as out:
            out.write("ready\n")
    if MEASURE:
        gevent.spawn_later(MEASURE, runner.quit)


@events.test_start.add_listener
def _reset(environment, **kwargs) -> None:
    _ready.update(users=0, done=False)


TOKEN = re.compile(r'name="(csrfmiddlewaretoken|form_token)" value="([^"]+)"')


def hidden(html: str) -> dict[str, str]:
    return dict(TOKEN.findall(html))


class Signed(FastHttpUser):
    abstract = True
    wait_time = between(*THINK)

    def sign_in(self, email: str) -> None:
        page = self.client.get("/comptes/login/", name="login form")
        fields = hidden(page.text)
        self.client.post(
            "/comptes/login/",
            {"login": email, "password": TARGETS["password"], **fields},
            name="login",
        )


class Coordinator(Signed):
    weight = 2
    abstract = "Coordinator" not in ROLES

    def on_start(self) -> None:
        self.me = random.choice(TARGETS["coordinators"])
        self.sign_in(self.me["email"])
        user_ready(self.environment)

    @task(3)
    def dashboard(self) -> None:
        self.client.get(f"/programmes/{self.me['program']}/suivi/", name="dashboard (suivi)")

    @task(3)
    def group(self) -> None:
        group = random.choice(self.me["groups"])
        self.client.get(f"/programmes/{self.me['program']}/groupes/{group}/", name="group page")

    @task(1)
    def groups(self) -> None:
        self.client.get(f"/programmes/{self.me['program']}/groupes/", name="groups list")


class Mentee(Signed):
    weight = 2
    abstract = "Mentee" not in ROLES

    def on_start(self) -> None:
        self.me = random.choice(TARGETS["mentees"])
        self.sign_in(self.me["email"])
        user_ready(self.environment)

    @task(3)
    def home(self) -> None:
        self.client.get("/programmes/", name="mentee home (mes programmes)")

    @task(1)
    def group(self) -> None:
        self.client.get(
            f"/programmes/{self.me['program']}/groupes/{self.me['group']}/", name="mentee group"
        )


class Applicant(FastHttpUser):
    weight = 1
    abstract = "Applicant" not in ROLES
    wait_time = between(*FORM_THINK)

    def on_start(self) -> None:
        user_ready(self.environment)

    @task
    def answer(self) -> None:
        token = random.choice(TARGETS["forms"])
        url = f"/formulaire/{token}/"
        page = self.client.get(url, name="public form")
        self.wait()  # reading and typing
        email = f"{uuid.uuid4().hex[:16]}@charge.example"
        data = {
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
            **hidden(page.text),
        }
        with self.client.post(
            url, data, name="public form (send)", catch_response=True, allow_redirects=False
        ) as r:
            where = r.headers.get("Location", "") if r.headers else ""
            # The thanks page answers the POST itself (200); before 8 December 2026 a redirect
            # led to it, followed here as a browser does.
            thanked = r.status_code == 200 and 'data-url="/formulaire/' in r.text
            if thanked or (r.status_code == 302 and "/merci/" in where):
                with open(SENT, "a", encoding="utf-8") as out:
                    out.write(email + "\n")
                r.success()
            else:
                r.failure(f"not accepted: {r.status_code} {where}")
                return
        if where:
            self.client.get(where, name="public form (thanks)")
