"""Who wants which e-mail, and the one-click unsubscribe every notification carries.

Each notification e-mail (a group's new message, an alert, the daily digest) carries a
`List-Unsubscribe` header with a signed link (RFC 2369) and `List-Unsubscribe-Post` (RFC 8058):
a mail client's « Se désabonner » button POSTs to the link and the topic is turned off, without
signing in. Opening the link in a browser shows a page with one button: link checkers that
fetch every link of an e-mail never unsubscribe anyone.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import NotificationPreference, Person

SALT = "maillage.unsubscribe"
When = NotificationPreference.When


def wants(person: Person, topic: str) -> str:
    """« immediately », « daily » or « never » for `topic`; never without an e-mail address."""
    if not person.email:
        return When.NEVER
    return NotificationPreference.of(person, topic)


def unsubscribe_token(person: Person, topic: str) -> str:
    # No expiry: a months-old e-mail's link must still work (it can only turn e-mails off).
    return signing.dumps({"p": person.pk, "t": topic}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[Person, str] | None:
    """The person and topic of a genuine token; None for a tampered or unknown one."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("t") not in NotificationPreference.TOPICS:
        return None
    person = Person.objects.filter(pk=data.get("p")).first()
    return (person, data["t"]) if person is not None else None


def unsubscribe_url(person: Person, topic: str) -> str:
    path = reverse("core:unsubscribe", args=[unsubscribe_token(person, topic)])
    return f"{settings.SITE_URL}{path}"


def unsubscribe_headers(person: Person, topic: str) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(person, topic)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
