from __future__ import annotations

from django.urls import reverse

from maillage.conftest import login
from maillage.selection.models import Review


def post_review(client, application, criteria, values, comment=""):
    data = {f"c{c.pk}": v for c, v in zip(criteria, values, strict=True)}
    data["comment"] = comment
    return client.post(
        reverse("selection:review", args=[application.program_id, application.pk]), data
    )


def test_detail_page_shows_answers_contact_and_score_radios(
    as_coordinator, application, three_criteria
):
    response = as_coordinator.get(
        reverse("selection:application", args=[application.program_id, application.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Frigo communautaire et cuisine partagée." in html
    assert "contact@cuisine.example" in html
    assert "<legend>Impact" in html
    assert "0 — ne répond pas" in html and "5 — répond pleinement" in html


def test_review_is_saved_and_redirects(as_coordinator, application, three_criteria, coordinator):
    response = post_review(as_coordinator, application, three_criteria, [4, 5, 1], "Solide.")
    assert response.status_code == 302
    review = Review.objects.get(application=application, reviewer=coordinator)
    assert review.comment == "Solide."


def test_out_of_range_score_is_refused_with_a_message_and_other_values_kept(
    as_coordinator, application, three_criteria
):
    response = post_review(as_coordinator, application, three_criteria, [7, 4, 2], "Mon avis.")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choisissez une note de 0 (ne répond pas) à 5 (répond pleinement)." in html
    ouverture, partenariat = three_criteria[1], three_criteria[2]
    assert f'value="4" id="id_c{ouverture.pk}_4" checked' in html.replace("required ", "")
    assert f'value="2" id="id_c{partenariat.pk}_2" checked' in html.replace("required ", "")
    assert "Mon avis." in html
    assert not Review.objects.exists()


def test_committee_member_can_review(client, committee_member, application, three_criteria):
    response = post_review(login(client, committee_member), application, three_criteria, [3, 3, 3])
    assert response.status_code == 302
    assert Review.objects.filter(reviewer=committee_member).exists()


def test_my_saved_scores_are_prefilled(as_coordinator, application, three_criteria):
    post_review(as_coordinator, application, three_criteria, [4, 5, 1], "Solide.")
    html = as_coordinator.get(
        reverse("selection:application", args=[application.program_id, application.pk])
    ).content.decode()
    assert "Mettre à jour mon évaluation" in html
    assert f'value="5" id="id_c{three_criteria[1].pk}_5" checked' in html.replace("required ", "")


def test_duplicate_is_linked_but_never_one_of_another_program(as_coordinator, program_a, outsider):
    from maillage.programs.models import Program

    from .conftest import make_application

    program_b = Program.objects.get(title="Programme B")
    foreign = make_application(program_b, "Organisme de B (secret)")
    earlier = make_application(program_a, "Même organisme")
    app = make_application(program_a, "Même organisme", duplicate_of=earlier)
    html = as_coordinator.get(
        reverse("selection:application", args=[program_a.pk, app.pk])
    ).content.decode()
    assert "Doublon possible" in html
    assert reverse("selection:application", args=[program_a.pk, earlier.pk]) in html

    app.duplicate_of = foreign
    app.save()
    html = as_coordinator.get(
        reverse("selection:application", args=[program_a.pk, app.pk])
    ).content.decode()
    assert "Organisme de B (secret)" not in html
    listing = as_coordinator.get(reverse("selection:applications", args=[program_a.pk]))
    assert "Organisme de B (secret)" not in listing.content.decode()
