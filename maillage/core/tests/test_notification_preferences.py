"""« Mon compte » › Courriels, and the one-click unsubscribe link of every notification:
valid (GET asks, POST unsubscribes without signing in), tampered (404)."""

from __future__ import annotations

from django.urls import reverse

from maillage.conftest import login
from maillage.core import notifications
from maillage.core.models import AuditEntry, NotificationPreference

When = NotificationPreference.When


def test_nobody_chose_means_at_once(mentee):
    assert notifications.wants(mentee, "messages") == When.IMMEDIATELY
    mentee.email = ""
    assert notifications.wants(mentee, "alerts") == When.NEVER


def test_a_person_chooses_on_her_account_page(client, mentee):
    login(client, mentee)
    page = client.get(reverse("core:account")).content.decode()
    assert "Un résumé par jour" in page and 'id="courriels"' in page
    response = client.post(
        reverse("core:account"),
        {"notifications": "1", "messages": "daily", "alerts": "never"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#courriels")
    preference = NotificationPreference.objects.get(person=mentee)
    assert (preference.messages, preference.alerts) == ("daily", "never")
    assert AuditEntry.objects.filter(model="core.NotificationPreference").exists()


def test_a_bad_choice_keeps_the_page_with_an_error(client, mentee):
    login(client, mentee)
    response = client.post(
        reverse("core:account"), {"notifications": "1", "messages": "hourly", "alerts": "daily"}
    )
    assert response.status_code == 200
    assert response.context["notification_form"].errors["messages"]
    assert not NotificationPreference.objects.exists()


def test_opening_the_link_asks_before_unsubscribing(client, mentee):
    url = notifications.unsubscribe_url(mentee, "messages")
    response = client.get(url)
    assert response.status_code == 200
    assert "Ne plus recevoir ces courriels" in response.content.decode()
    assert notifications.wants(mentee, "messages") == When.IMMEDIATELY


def test_one_click_post_unsubscribes_without_login_or_csrf(mentee):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    url = notifications.unsubscribe_url(mentee, "messages")
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert notifications.wants(mentee, "messages") == When.NEVER
    assert notifications.wants(mentee, "alerts") == When.IMMEDIATELY  # only that topic
    assert AuditEntry.objects.filter(action="notifications.unsubscribed").exists()


def test_a_tampered_link_is_a_404(client, mentee, mentor):
    token = notifications.unsubscribe_token(mentee, "messages")
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    assert client.post(reverse("core:unsubscribe", args=[forged])).status_code == 404
    # A genuine token for another topic name cannot be made without the key either.
    from django.core import signing

    other = signing.dumps({"p": mentor.pk, "t": "messages"}, salt="autre-sel")
    assert client.post(reverse("core:unsubscribe", args=[other])).status_code == 404
    assert notifications.wants(mentee, "messages") == When.IMMEDIATELY
    assert notifications.wants(mentor, "messages") == When.IMMEDIATELY
