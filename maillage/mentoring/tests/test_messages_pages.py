"""The thread's pages: who gets 404, posting with and without htmx, a double submit, read-only
threads, editing, withdrawing and hiding, and the unread counts on the group's pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from maillage.conftest import login
from maillage.mentoring import services
from maillage.mentoring.models import Group, GroupMessage
from maillage.programs.services import close_program


def url(group, name="messages", *args):
    return reverse(f"mentoring:{name}", args=[group.program_id, group.pk, *args])


@pytest.mark.parametrize("who", ["outsider", "other_member", "observer", "committee_member"])
def test_people_outside_the_group_get_404(client, group, mentee, who, request):
    message = services.post_message(group=group, author=mentee, text="Confidentiel")
    login(client, request.getfixturevalue(who))
    for page in (url(group), url(group, "message", message.pk)):
        assert client.get(page).status_code == 404
        assert client.post(page, {"text": "x"}).status_code == 404
    assert client.post(url(group, "message_delete", message.pk)).status_code == 404
    assert client.post(url(group, "message_hide", message.pk), {"reason": "x"}).status_code == 404
    assert not GroupMessage.objects.exclude(text="Confidentiel").exists()


def test_the_coordinator_reads_the_thread(client, group, mentee, coordinator):
    services.post_message(group=group, author=mentee, text="Question pour Marc")
    login(client, coordinator)
    page = client.get(url(group)).content.decode()
    assert "Question pour Marc" in page and "Élise Mentorée" in page


def test_a_member_posts_without_javascript_and_is_sent_to_the_bottom(client, group, mentee):
    login(client, mentee)
    form = client.get(url(group)).context["message_form"]
    token = str(form.initial["form_token"])
    response = client.post(url(group), {"text": "Bonjour Marc", "form_token": token})
    assert response.status_code == 302 and response["Location"].endswith("#dernier")
    # The same form sent again (a double tap, a resend): still one message.
    client.post(url(group), {"text": "Bonjour Marc", "form_token": token})
    assert GroupMessage.objects.filter(text="Bonjour Marc").count() == 1


def test_htmx_gets_the_conversation_back_with_a_fresh_form(client, group, mentee):
    login(client, mentee)
    response = client.post(
        url(group), {"text": "Par htmx", "form_token": ""}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'id="conversation"' in html and "Par htmx" in html
    assert "Par htmx</textarea>" not in html  # the box is empty again


def test_an_empty_message_keeps_the_page_with_a_french_error(client, group, mentee):
    login(client, mentee)
    response = client.post(url(group), {"text": "  ", "form_token": ""})
    assert response.status_code == 200
    assert "Écrivez votre message avant de l’envoyer." in response.content.decode()


def test_a_closed_program_shows_the_thread_without_the_form(client, group, mentee):
    services.post_message(group=group, author=mentee, text="Avant la fermeture")
    close_program(program=group.program)
    login(client, mentee)
    response = client.get(url(group))
    html = response.content.decode()
    assert "Avant la fermeture" in html and response.context["message_form"] is None
    assert "on n’y écrit plus" in html
    response = client.post(url(group), {"text": "Après", "form_token": ""})
    assert not GroupMessage.objects.filter(text="Après").exists()
    html = response.content.decode()
    assert "lecture seule" in html and "Après</textarea>" in html  # refused, the text kept


def test_an_ended_group_is_read_only(client, group, mentee):
    Group.objects.filter(pk=group.pk).update(status=Group.Status.CLOSED)
    login(client, mentee)
    assert client.get(url(group)).context["message_form"] is None
    client.post(url(group), {"text": "Après", "form_token": ""})
    assert not GroupMessage.objects.exists()


def test_reading_the_thread_clears_the_unread_count_on_the_group_tab(client, group, mentee, mentor):
    services.post_message(group=group, author=mentee, text="Un")
    services.post_message(group=group, author=mentee, text="Deux")
    login(client, mentor)
    assert "2 non lus" in client.get(url(group, "group")).content.decode()
    assert "2 nouveaux messages" in client.get(reverse("mentoring:mine")).content.decode()
    client.get(url(group))
    assert "non lu" not in client.get(url(group, "group")).content.decode()


def test_the_next_step_on_the_home_says_how_many_messages_wait(client, group, mentee, mentor):
    services.post_message(group=group, author=mentee, text="Un")
    login(client, mentor)
    response = client.get(reverse("programs:dashboard"))
    assert "Lire 1 nouveau message dans « Logistique »" in response.content.decode()


def test_the_author_edits_and_withdraws_her_message(client, group, mentee, mentor):
    message = services.post_message(group=group, author=mentee, text="Mardi")
    login(client, mentor)
    assert client.get(url(group, "message", message.pk)).status_code == 404  # not his
    login(client, mentee)
    client.post(url(group, "message", message.pk), {"text": "Mercredi"})
    message.refresh_from_db()
    assert message.text == "Mercredi"
    client.post(url(group, "message_delete", message.pk))
    assert "Message retiré" in client.get(url(group)).content.decode()
    assert "Mercredi" not in client.get(url(group)).content.decode()


def test_the_coordinator_hides_a_message_and_the_group_reads_why(
    client, group, mentee, coordinator
):
    message = services.post_message(group=group, author=mentee, text="Propos déplacés")
    login(client, coordinator)
    response = client.post(url(group, "message_hide", message.pk), {"reason": ""})
    assert "Dites au groupe pourquoi" in response.content.decode()
    client.post(url(group, "message_hide", message.pk), {"reason": "Propos blessants"})
    login(client, mentee)
    html = client.get(url(group)).content.decode()
    assert "Propos blessants" in html and "Propos déplacés" not in html


def test_a_member_cannot_hide_a_message(client, group, mentee, mentor):
    message = services.post_message(group=group, author=mentee, text="Bonjour")
    login(client, mentor)
    assert client.post(url(group, "message_hide", message.pk), {"reason": "x"}).status_code == 404
    message.refresh_from_db()
    assert message.hidden_at is None
