"""The daily digest: one e-mail a day to each person who chose it, listing their groups'
unread messages and their new alerts, in their language.

It lives here because it gathers both: the alerts are this app's, the messages mentoring's
(a floor below). A person is in the morning's digest only if there is something new for them;
`Digest` records what each digest listed, so nothing is listed twice, and one digest a day at
most (the hourly round calls this every hour).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from maillage.core.emails import person_email
from maillage.core.models import NotificationPreference, Person
from maillage.core.notifications import unsubscribe_headers, unsubscribe_url
from maillage.mentoring.models import Group, GroupMessage
from maillage.programs.models import Program

from .models import AlertRecipient, Digest, Kind
from .selectors import action_for

# The morning digest is not sent before this local hour (the hourly round starts at midnight).
DIGEST_HOUR = 7
DAILY = NotificationPreference.When.DAILY


@dataclass
class Items:
    messages: list[GroupMessage] = field(default_factory=list)
    alerts: list[AlertRecipient] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.messages or self.alerts)


def new_items(person: Person) -> Items:
    """What the person's digest would list now: others' unread messages of their running
    groups, and alerts for them not yet e-mailed, none listed in an earlier digest."""
    items = Items()
    if NotificationPreference.of(person, "messages") == DAILY:
        items.messages = list(
            GroupMessage.objects.filter(
                group__members__role__person=person,
                group__status=Group.Status.ACTIVE,
            )
            .exclude(group__program__status=Program.Status.CLOSED)
            .unread_by(person)
            .exclude(digests__person=person)
            .select_related("group__program", "author")
            .distinct()
            .order_by("group_id", "pk")
        )
    if NotificationPreference.of(person, "alerts") == DAILY:
        items.alerts = list(
            AlertRecipient.objects.filter(
                person=person,
                sent_at__isnull=True,
                muted=False,
                alert__resolved_at__isnull=True,
            )
            .exclude(digests__person=person)
            .select_related("alert__program", "alert__group")
            .order_by("alert__program_id", "pk")
        )
    return items


def people_with_digest() -> list[Person]:
    chose = NotificationPreference.objects.filter(Q(messages=DAILY) | Q(alerts=DAILY))
    return list(Person.objects.filter(pk__in=chose.values("person_id")).exclude(email=""))


def send_digests(*, now: datetime | None = None) -> int:
    """Send today's digests not sent yet; the number sent. Nothing before DIGEST_HOUR."""
    now = timezone.localtime(now or timezone.now())
    if now.hour < DIGEST_HOUR:
        return 0
    sent = 0
    for person in people_with_digest():
        sent += send_digest(person=person, day=now.date())
    return sent


def send_digest(*, person: Person, day: date) -> bool:
    """The person's digest of `day`, if there is something new and none was sent that day."""
    with transaction.atomic():
        items = new_items(person)
        if not items:
            return False
        try:
            with transaction.atomic():
                digest = Digest.objects.create(person=person, day=day)
        except IntegrityError:
            return False  # already sent today (or sending in another worker)
        digest.messages.set(items.messages)
        digest.alerts.set(items.alerts)
        # The alerts listed count as sent: `send_alert` never sends them one by one.
        AlertRecipient.objects.filter(pk__in=[a.pk for a in items.alerts]).update(
            sent_at=timezone.now()
        )
        message = digest_message(person, items)
    # Sent once the record is saved: a failed send is not retried (never twice beats late).
    message.send()
    return True


def _site(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def digest_message(person: Person, items: Items) -> EmailMessage:
    def context() -> dict:
        groups = []
        for group, messages in groupby(items.messages, key=lambda m: m.group):
            messages = list(messages)
            authors = sorted({m.author.full_name if m.author else "—" for m in messages})
            path = reverse("mentoring:messages", args=[group.program_id, group.pk])
            groups.append(
                {
                    "group": group,
                    "program": group.program,
                    "count": len(messages),
                    "authors": ", ".join(authors),
                    "link": _site(path + "#nouveaux"),
                }
            )
        alerts = []
        for delivery in items.alerts:
            action = action_for(delivery.alert, person=person)
            alerts.append(
                {
                    "alert": delivery.alert,
                    "kind": Kind(delivery.alert.kind).label,
                    "evidence": delivery.alert.describe(),
                    "link": _site(action[1]) if action else "",
                }
            )
        return {
            "person": person,
            "groups": groups,
            "messages": len(items.messages),
            "alerts": alerts,
            "account_url": _site(reverse("core:account") + "#courriels"),
            "unsubscribe_url": unsubscribe_url(person, _topic(items)),
        }

    email = person_email(person, templates="alerts/emails/digest", context=context)
    email.extra_headers.update(unsubscribe_headers(person, _topic(items)))
    return email


def _topic(items: Items) -> str:
    # One link per e-mail: it turns off what this digest is mostly about.
    return "messages" if len(items.messages) >= len(items.alerts) else "alerts"
