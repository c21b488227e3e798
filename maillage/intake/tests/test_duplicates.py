from __future__ import annotations

from maillage.intake.duplicates import normalise_organization_name, organization_domain


def test_normalise_removes_case_accents_punctuation_and_legal_noise():
    assert normalise_organization_name("L’Organisme ABC inc.") == "abc"
    assert (
        normalise_organization_name("Épicerie  solidaire—Québec, Ltée")
        == "epicerie solidaire quebec"
    )


def test_normalise_keeps_what_distinguishes_two_organizations():
    assert normalise_organization_name("Frigo Lévis") != normalise_organization_name("Frigo Laval")


def test_generic_providers_do_not_identify_an_organization():
    assert organization_domain("jeanne@gmail.com") == ""
    assert organization_domain("jeanne@Videotron.ca") == ""
    assert organization_domain("jeanne@frigo.example") == "frigo.example"
    assert organization_domain("not-an-email") == ""
