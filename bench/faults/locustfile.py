"""The load of the fault scripts (issue 14): the load benchmark's readers, plus applicants who
behave as a person would when the server fails under them.

Each submission's outcome is written to LOAD_OUTCOMES (one JSON line): the status, whether the
page kept what was typed, and what the applicant did next. On the « revient dans un instant »
page (503) the applicant waits, then presses « Envoyer de nouveau » (the page's own form, with
the same form_token) up to three times; an answer accepted then is recorded in LOAD_SENT like
any other, so that check.py proves it was stored once, not twice.
"""

from __future__ import annotations

import html
import importlib.util
import json
import os
import random
import re
import time
import uuid
from pathlib import Path

from locust import HttpUser, between, task

_spec = importlib.util.spec_from_file_location(
    "load_locustfile", Path(__file__).resolve().parents[1] / "load" / "locustfile.py"
)
_load = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_load)
TARGETS, Coordinator, Mentee, hidden = _load.TARGETS, _load.Coordinator, _load.Mentee, _load.hidden

SENT = os.environ.get("LOAD_SENT", "/tmp/faults-sent.txt")
OUTCOMES = os.environ.get("LOAD_OUTCOMES", "/tmp/faults-outcomes.jsonl")
CONCEPT = "Un frigo partagé, numéro {n}."
RESEND = re.compile(r'<form method="post" action="([^"]+)" class="resend">(.*?)</form>', re.S)
FIELD = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def note(**fields) -> None:
    with open(OUTCOMES, "a", encoding="utf-8") as out:
        out.write(json.dumps({"t": round(time.time(), 2), **fields}) + "\n")


class Applicant(HttpUser):
    weight = 1
    wait_time = between(0.2, 0.6)

    @task
    def answer(self) -> None:
        token = random.choice(TARGETS["forms"])
        url = f"/formulaire/{token}/"
        page = self.client.get(url, name="public form")
        if page.status_code != 200:
            note(kind="form page", status=page.status_code, kept=None)
            return
        email = f"{uuid.uuid4().hex[:16]}@charge.example"
        concept = CONCEPT.format(n=uuid.uuid4().hex[:8])
        data = {
            "q_organization": "Frigo solidaire (charge)",
            "q_region": "QC-12",
            "q_contact_name": "Jeanne Charge",
            "q_email": email,
            "q_position": "Coordination",
            "q_concept": concept,
            "q_operations": "Collecte, tri, entreposage au froid.",
            "q_barriers": "Transport réfrigéré.",
            "q_mentoring_help": "Apprendre la logistique du froid.",
            "q_revise_processes": "Je dirige l’organisme.",
            "q_comments": "",
            "consent": "on",
            "site_web": "",
            **hidden(page.text),
        }
        self.send(url, data, email, concept, attempt=0)

    def send(self, url: str, data: dict, email: str, concept: str, *, attempt: int) -> None:
        name = "public form (send)" if attempt == 0 else "public form (sent again from 503)"
        try:
            r = self.client.post(url, data, name=name, catch_response=True)
        except Exception as error:  # connection reset: the worker died under the request
            note(kind="send", attempt=attempt, email=email, status=0, error=str(error)[:80])
            return
        with r:
            body = r.text or ""
            accepted = r.status_code == 200 and "/merci/" in r.url
            kept = concept in html.unescape(body)
            resend = RESEND.search(body) if r.status_code == 503 else None
            note(
                kind="send",
                attempt=attempt,
                email=email,
                status=r.status_code,
                accepted=accepted,
                kept=kept,
                resend_form=bool(resend),
                # Sent, then the thank-you page failed: stored, and the page says « Réessayer ».
                redirected=bool(r.history),
                retry_after=r.headers.get("Retry-After"),
            )
            if accepted:
                with open(SENT, "a", encoding="utf-8") as out:
                    out.write(email + "\n")
                r.success()
                return
            r.failure(f"not accepted: {r.status_code}")
        if resend and attempt < 3:
            time.sleep(float(r.headers.get("Retry-After") or 3))
            again = {html.unescape(k): html.unescape(v) for k, v in FIELD.findall(resend.group(2))}
            self.send(html.unescape(resend.group(1)), again, email, concept, attempt=attempt + 1)
