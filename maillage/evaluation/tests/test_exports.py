"""Rounds with their response rate, a round's invitations, final interviews and quotes
download as CSV/XLSX with the rows of their page: coordination and observation only, a passage
typed as a formula comes out as text, and a round's file never carries anyone's answers."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.conftest import login
from maillage.core.tests.downloads import csv_rows, xlsx_rows
from maillage.evaluation import services

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://exemple.org/vol","Merci")'


@pytest.fixture
def answered(open_round, mentee_invitation):
    """Élise answers (a formula in her text); Marc does not."""
    factor = mentee_invitation.questions().get(theme="success_factors")
    services.save_answers(
        invitation=mentee_invitation,
        values={factor: f"{FORMULA} et une écoute attentive"},
        submit=True,
    )
    open_round.first_sent_at = timezone.now()
    open_round.save()
    return mentee_invitation


def get(client, name, *args):
    return client.get(reverse(f"evaluation:{name}", args=list(args)))


def test_the_rounds_come_out_with_their_response_rate(client, program_a, answered, coordinator):
    login(client, coordinator)
    home = get(client, "home", program_a.pk).content.decode()
    assert reverse("evaluation:rounds_export", args=[program_a.pk, "csv"]) in home
    assert "50 %" in home
    rows = csv_rows(get(client, "rounds_export", program_a.pk, "csv"))
    today = timezone.localdate()
    assert rows == [
        [
            "Questionnaire",
            "Destinataires",
            "Envoi",
            "Fermeture",
            "Statut",
            "Réponses",
            "Invitations envoyées",
            "Taux de réponse (%)",
        ],
        [
            answered.round.questionnaire.title_fr,
            "Mentor·es et personnes mentorées",
            today.isoformat(),
            (today + timezone.timedelta(days=14)).isoformat(),
            "Envoyé",
            "1",
            "2",
            "50",
        ],
    ]


def test_the_rounds_open_in_a_spreadsheet_with_numbers(client, program_a, answered, observer):
    login(client, observer)
    rows = xlsx_rows(get(client, "rounds_export", program_a.pk, "xlsx"))
    assert rows[1][5:] == [1, 2, 50]


def test_a_rounds_invitations_show_status_not_answers(client, program_a, answered, coordinator):
    login(client, coordinator)
    response = get(client, "round_export", program_a.pk, answered.round.pk, "csv")
    rows = csv_rows(response)
    sent = timezone.localdate().isoformat()
    assert rows == [
        ["Personne", "Rôle", "Envoyé", "Rappel", "Réponse"],
        ["Marc Mentor", "Mentor·e", sent, "", "pas de réponse"],
        ["Élise Mentorée", "Personne mentorée", sent, "", "répondu"],
    ]
    assert "écoute attentive" not in response.content.decode("utf-8-sig")


def test_the_final_interviews_come_out(client, program_a, mentee, observer, coordinator):
    services.record_interview(
        program=program_a,
        participant=program_a.roles.get(person=mentee, kind="mentee"),
        interviewer=observer,
        held_on=date(2026, 12, 10),
        learning="Notes",
    )
    login(client, coordinator)
    rows = xlsx_rows(get(client, "interviews_export", program_a.pk, "xlsx"))
    assert rows == [["Personne", "Date", "Statut"], ["Élise Mentorée", "2026-12-10", "Brouillon"]]


def test_a_quote_typed_as_a_formula_comes_out_as_text(client, program_a, answered, coordinator):
    quote = services.mark_quote(
        program=program_a,
        by=coordinator.user,
        answer=answered.answers.get(),
        passage=FORMULA,
        topic_fr="l’écoute",
    )
    services.request_quote_consent(quote=quote)
    services.answer_quote_request(quote=quote, consent=True)
    quote.refresh_from_db()
    login(client, coordinator)
    page = get(client, "quotes", program_a.pk).content.decode()
    assert "— une personne mentorée, sur l’écoute" in page
    rows = csv_rows(get(client, "quotes_export", program_a.pk, "csv"))
    consented = timezone.localtime(quote.consented_at).strftime("%Y-%m-%d %H:%M")
    assert rows == [
        ["Passage", "Signature", "Statut", "Consentement le"],
        ["'" + FORMULA, "— une personne mentorée, sur l’écoute", "Consentement donné", consented],
    ]
    sheet = xlsx_rows(get(client, "quotes_export", program_a.pk, "xlsx"))
    assert sheet[1][0] == "'" + FORMULA


@pytest.mark.parametrize("who", ["mentor", "mentee", "committee_member", "outsider"])
def test_only_coordination_and_observation_get_the_files(client, program_a, answered, who, request):
    login(client, request.getfixturevalue(who))
    for name, args in (
        ("rounds_export", [program_a.pk]),
        ("interviews_export", [program_a.pk]),
        ("round_export", [program_a.pk, answered.round.pk]),
        ("quotes_export", [program_a.pk]),
    ):
        for fmt in ("csv", "xlsx"):
            assert get(client, name, *args, fmt).status_code == 404, (name, fmt)


def test_a_round_of_another_program_is_404(client, answered, outsider):
    login(client, outsider)
    own = outsider.roles.get().program
    assert get(client, "round_export", own.pk, answered.round.pk, "csv").status_code == 404
