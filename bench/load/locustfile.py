"""The load of issue 14: coordinators on their follow-up dashboard and a group's page, mentees
on their home, and people answering a program's public form.

    locust -f bench/load/locustfile.py --headless -u 50 -r 10 -t 60s \
        --host http://127.0.0.1:8040 --csv /tmp/load   (LOAD_TARGETS=/tmp/load-targets.json)

Every submission carries a unique e-mail, recorded in LOAD_SENT (one line each, written only
when the server answered « merci »), so that `check_sent.py` can prove that every accepted
submission was stored once and none lost.
"""

from __future__ import annotations

import json
import os
import random
import re
import uuid

from locust import HttpUser, between, task

TARGETS = json.loads(open(os.environ.get("LOAD_TARGETS", "/tmp/load-targets.json")).read())
SENT = os.environ.get("LOAD_SENT", "/tmp/load-sent.txt")
# Seconds a signed-in user waits between two pages. The default (0.5–1.5 s) is a user clicking
# without reading, about one page a second each: 50 of them ask what several hundred people
# reading their pages would. LOAD_THINK="5,15" models people who read what they open.
THINK = tuple(float(x) for x in os.environ.get("LOAD_THINK", "0.5,1.5").split(","))
TOKEN = re.compile(r'name="(csrfmiddlewaretoken|form_token)" value="([^"]+)"')


def hidden(html: str) -> dict[str, str]:
    return dict(TOKEN.findall(html))


class Signed(HttpUser):
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

    def on_start(self) -> None:
        self.me = random.choice(TARGETS["coordinators"])
        self.sign_in(self.me["email"])

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

    def on_start(self) -> None:
        self.me = random.choice(TARGETS["mentees"])
        self.sign_in(self.me["email"])

    @task(3)
    def home(self) -> None:
        self.client.get("/programmes/", name="mentee home (mes programmes)")

    @task(1)
    def group(self) -> None:
        self.client.get(
            f"/programmes/{self.me['program']}/groupes/{self.me['group']}/", name="mentee group"
        )


class Applicant(HttpUser):
    weight = 1
    wait_time = between(0.2, 0.6)

    @task
    def answer(self) -> None:
        token = random.choice(TARGETS["forms"])
        url = f"/formulaire/{token}/"
        page = self.client.get(url, name="public form")
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
        with self.client.post(url, data, name="public form (send)", catch_response=True) as r:
            if r.status_code == 200 and "/merci/" in r.url:
                with open(SENT, "a", encoding="utf-8") as out:
                    out.write(email + "\n")
                r.success()
            else:
                r.failure(f"not accepted: {r.status_code} {r.url}")
