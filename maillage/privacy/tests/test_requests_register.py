"""The requests register: a person files a request from « Mon compte », the officer answers
it within 30 days, the overdue ones are marked and the daily check finds them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from maillage.conftest import login
from maillage.privacy.errors import PrivacyError
from maillage.privacy.models import PrivacyRequest
from maillage.privacy.services import answer_request, file_request


@pytest.fixture
def officer(db, outsider):
    outsider.user.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    return outsider


def test_a_person_files_an_access_request_from_my_account(client, mentor):
    login(client, mentor)
    account = client.get(reverse("core:account")).content.decode()
    assert reverse("privacy:my_requests") in account
    url = reverse("privacy:my_requests")
    for _click in range(2):  # a double click files one request
        response = client.post(url, {"kind": "access", "details": ""}, follow=True)
    item = PrivacyRequest.objects.get()
    assert item.person == mentor and item.requester_email == mentor.email
    assert item.due_on == timezone.localdate() + timedelta(days=30)
    assert "30 jours" in response.content.decode()


def test_a_rectification_says_what_to_fix_and_keeps_the_choice(client, mentor):
    login(client, mentor)
    page = client.post(reverse("privacy:my_requests"), {"kind": "rectification"}).content.decode()
    assert "Dites ce qui est inexact" in page
    assert 'value="rectification" id="id_kind_1" checked' in page.replace("required ", "")
    assert not PrivacyRequest.objects.exists()


def test_the_register_is_the_officers_only(client, officer, coordinator, mentor):
    item = file_request(person=mentor, kind="deletion", details="", by=mentor.user)
    for person in (coordinator, mentor):
        login(client, person)
        assert client.get(reverse("privacy:register")).status_code == 404
        assert client.get(reverse("privacy:register_item", args=[item.pk])).status_code == 404
    login(client, officer)
    assert "Suppression" in client.get(reverse("privacy:register")).content.decode()


def test_an_overdue_request_is_marked_and_the_daily_check_alerts(client, officer, mentor, settings):
    settings.PRIVACY_OFFICER_EMAIL = "vie-privee@exemple.org"
    item = file_request(person=mentor, kind="access", details="", by=mentor.user)
    PrivacyRequest.objects.filter(pk=item.pk).update(due_on=timezone.localdate() - timedelta(1))
    login(client, officer)
    page = client.get(reverse("privacy:register")).content.decode()
    assert "en retard" in page and "1 demande a dépassé le délai de 30 jours." in page
    with pytest.raises(SystemExit):
        call_command("privacy_overdue")
    assert mail.outbox[-1].to == ["vie-privee@exemple.org"]


def test_answering_needs_the_words_given_and_closes_the_request(officer, mentor):
    item = file_request(person=mentor, kind="access", details="", by=mentor.user)
    with pytest.raises(PrivacyError):
        answer_request(item=item, status="answered", answer=" ", by=officer.user)
    item = answer_request(item=item, status="answered", answer="Copie envoyée.", by=officer.user)
    assert not item.is_open() and item.answered_at is not None
    assert item.handled_by == officer.user
    assert not PrivacyRequest.objects.overdue(timezone.localdate() + timedelta(days=60)).exists()
