"""One find-or-create per kind of thing: the rules every app meeting a name or an e-mail follows."""

from __future__ import annotations

import pytest

from maillage.conftest import make_person
from maillage.core.errors import DomainError
from maillage.core.models import AuditEntry, Organization, Person, Sector, Team
from maillage.core.services import (
    find_or_create_organization,
    find_or_create_person,
    find_or_create_team,
    find_organization,
    find_person,
    find_sector,
    name_key,
)
from maillage.programs.models import Role

pytestmark = pytest.mark.django_db


class AppError(DomainError):
    """Stands for an app's own error class."""


# --- Organizations ------------------------------------------------------------------------------


def test_an_organization_is_found_without_case_accents_apostrophes_or_extra_spaces(org_a):
    org = Organization.objects.create(name="L’Épicerie de Lévis")
    for spelling in ("l'epicerie de levis", "  L’ÉPICERIE   de Lévis ", "L'Épicerie De Levis"):
        assert find_or_create_organization(name=spelling) == (org, False)
    assert Organization.objects.filter(name__icontains="picerie").count() == 1


def test_legal_words_still_tell_two_organizations_apart():
    assert name_key("Moisson Québec inc.") != name_key("Moisson Québec")


def test_the_oldest_of_two_organizations_with_one_name_is_used():
    first = Organization.objects.create(name="Cuisine collective")
    Organization.objects.create(name="cuisine collective")
    assert find_organization(name="CUISINE COLLECTIVE") == first


def test_a_new_organization_is_created_tidy_in_its_territory(region_qc):
    org, created = find_or_create_organization(name="  Frigo   partagé ", territory=region_qc)
    assert created
    org.refresh_from_db()
    assert (org.name, org.territory) == ("Frigo partagé", region_qc)


def test_a_known_organization_gets_a_territory_only_when_it_had_none(region_qc, org_a):
    bare = Organization.objects.create(name="Sans région")
    other = region_qc.__class__.objects.filter(kind="region").exclude(pk=region_qc.pk).first()
    assert find_or_create_organization(name="sans région", territory=region_qc)[0] == bare
    bare.refresh_from_db()
    assert bare.territory == region_qc
    find_or_create_organization(name=org_a.name, territory=other)
    org_a.refresh_from_db()
    assert org_a.territory == region_qc


def test_a_known_organization_keeps_its_name():
    org = Organization.objects.create(name="Frigo Partagé")
    find_or_create_organization(name="frigo partage")
    org.refresh_from_db()
    assert org.name == "Frigo Partagé"


def test_an_organization_found_by_the_caller_is_used_as_is(org_a):
    assert find_or_create_organization(name="autre nom", existing=org_a) == (org_a, False)
    assert not Organization.objects.filter(name="autre nom").exists()


def test_an_empty_organization_name_is_refused_with_the_callers_error():
    with pytest.raises(AppError) as caught:
        find_or_create_organization(name="  ", error=AppError)
    assert caught.value.field == "name"


def test_an_invalid_new_organization_is_refused_with_the_callers_error():
    with pytest.raises(AppError) as caught:
        find_or_create_organization(name="x" * 201, error=AppError)
    assert caught.value.field == "name"
    assert not Organization.objects.filter(name__startswith="xxx").exists()


# --- People -------------------------------------------------------------------------------------


def test_a_person_is_found_by_email_without_case_or_spaces():
    known = make_person("Rosalie", "Leduc", user=False)
    assert find_or_create_person(email=f"  {known.email.upper()} ") == (known, False)
    assert Person.objects.count() == 1


def test_a_new_person_is_created_with_what_the_caller_knows(org_a):
    person, created = find_or_create_person(
        email=" nora@exemple.org ",
        first_name=" Nora ",
        last_name="Nouvelle",
        phone="418 555-0100",
        organization=org_a,
        language="en",
        languages=["en", "fr"],
        can_decide=True,
    )
    assert created
    person.refresh_from_db()
    assert (person.email, person.first_name, person.phone) == (
        "nora@exemple.org",
        "Nora",
        "418 555-0100",
    )
    assert (person.organization, person.language, person.languages) == (org_a, "en", ["en", "fr"])
    assert person.can_decide is True


@pytest.mark.parametrize(
    ("overwrite", "expected"),
    [
        # Blanks are filled; what the record holds stays, can_decide too.
        (False, ("Rosalie", "Leduc", "514 555-0000", "Direction", False)),
        # The values given replace the record's (an empty one never erases).
        (True, ("Rose", "L.", "514 555-0000", "Direction", True)),
    ],
)
def test_a_known_person_gets_blanks_filled_and_is_overwritten_only_when_asked(
    org_a, overwrite, expected
):
    known = make_person("Rosalie", "Leduc", user=False, phone="514 555-0000")
    find_or_create_person(
        email=known.email,
        first_name="Rose",
        last_name="L.",
        phone="",
        position="Direction",
        organization=org_a,
        can_decide=True,
        overwrite=overwrite,
    )
    known.refresh_from_db()
    assert (known.first_name, known.last_name, known.phone) == expected[:3]
    assert (known.position, known.can_decide, known.organization) == (*expected[3:], org_a)


def test_the_stored_email_and_the_account_are_never_changed():
    known = make_person("Rosalie", "Leduc")
    account = known.user
    find_or_create_person(email=known.email.upper(), first_name="Rose", overwrite=True)
    known.refresh_from_db()
    assert (known.email, known.user) == ("rosalie.leduc@exemple.org", account)


def test_a_known_person_unchanged_is_not_saved_again():
    known = make_person("Rosalie", "Leduc", user=False)
    entries = AuditEntry.objects.count()
    find_or_create_person(email=known.email, first_name="Rosalie", last_name="Leduc")
    assert AuditEntry.objects.count() == entries


def test_of_two_records_with_one_email_the_callers_own_comes_first(program_a):
    older = make_person("Rosalie", "Leduc", user=False)
    mine = Person.objects.create(first_name="Rosalie", last_name="L", email=older.email.upper())
    Role.objects.create(program=program_a, person=mine, kind=Role.Kind.MENTEE)
    prefer = Person.objects.filter(roles__program=program_a)
    assert find_person(email=older.email, prefer=prefer) == mine
    assert find_person(email=older.email) == older


def test_of_two_records_with_one_email_the_one_with_an_account_comes_before_the_oldest():
    older = Person.objects.create(first_name="A", last_name="B", email="a.b@exemple.org")
    with_account = make_person("A", "B")
    assert find_person(email=older.email) == with_account


def test_a_person_found_by_the_caller_is_used():
    known = make_person("Rosalie", "Leduc", user=False)
    person, created = find_or_create_person(email="autre@exemple.org", existing=known, phone="1")
    assert (person, created) == (known, False)
    assert not Person.objects.filter(email="autre@exemple.org").exists()


def test_a_new_person_needs_names_and_a_valid_email():
    with pytest.raises(AppError) as caught:
        find_or_create_person(email="nora@exemple.org", error=AppError)
    assert caught.value.field == "first_name"
    with pytest.raises(AppError) as caught:
        find_or_create_person(email="nora@", first_name="Nora", last_name="N", error=AppError)
    assert caught.value.field == "email"
    assert not Person.objects.exists()


def test_a_one_word_name_may_leave_the_last_name_empty_when_the_caller_allows_it():
    with pytest.raises(AppError):
        find_or_create_person(email="nora@exemple.org", first_name="Nora", error=AppError)
    person, created = find_or_create_person(
        email="nora@exemple.org", first_name="Nora", require_last_name=False
    )
    assert created and person.last_name == ""


def test_a_known_person_is_checked_only_where_the_call_writes():
    """Another program's record with a gap the caller did not make does not stop the caller."""
    known = Person.objects.create(first_name="Nora", last_name="", email="nora@exemple.org")
    person, _created = find_or_create_person(email=known.email, phone="1", error=AppError)
    assert person.phone == "1"
    with pytest.raises(AppError) as caught:
        find_or_create_person(email=known.email, position="x" * 201, error=AppError)
    assert caught.value.field == "position"


def test_the_result_carries_no_more_of_another_programs_record_than_before(outsider, program_a):
    """Privacy: finding Olivier by e-mail gives the caller his record, not a copy of it."""
    outsider.phone = "450 555-0000"
    outsider.save()
    person, created = find_or_create_person(
        email=outsider.email,
        first_name="Oli",
        prefer=Person.objects.filter(roles__program=program_a),
    )
    assert (person.pk, created) == (outsider.pk, False)
    assert not Person.objects.exclude(pk=outsider.pk).filter(phone="450 555-0000").exists()


# --- Teams --------------------------------------------------------------------------------------


def test_a_team_is_found_among_the_callers_teams_by_its_name(org_a):
    team = Team.objects.create(name="Équipe Lévis")
    mine = Team.objects.filter(pk=team.pk)
    assert find_or_create_team(name="equipe  levis", among=[mine]) == (team, False)


def test_the_teams_are_searched_in_the_order_given():
    first = Team.objects.create(name="Cuisine")
    second = Team.objects.create(name="cuisine")
    found, _created = find_or_create_team(
        name="CUISINE", among=[Team.objects.filter(pk=second.pk), Team.objects.filter(pk=first.pk)]
    )
    assert found == second


def test_a_team_of_the_same_name_elsewhere_is_not_reused(org_a):
    elsewhere = Team.objects.create(name="Cuisine")
    team, created = find_or_create_team(
        name=" Cuisine ", among=[Team.objects.none()], organization=org_a
    )
    assert created and team != elsewhere
    assert (team.name, team.organization) == ("Cuisine", org_a)


def test_an_empty_team_name_is_refused_with_the_callers_error():
    with pytest.raises(AppError):
        find_or_create_team(name=" ", among=[], error=AppError)


@pytest.mark.parametrize("text", ["municipal", "Municipal", " MUNICIPAL "])
def test_find_sector_reads_the_code_or_either_name(db, text):
    assert find_sector(text=text).code == "municipal"


def test_find_sector_reads_the_english_name_and_ignores_accents(db):
    assert find_sector(text="Community").code == "communautaire"
    assert find_sector(text="Spatial") is None


def test_a_known_organization_gets_a_sector_only_when_it_had_none(db, org_a):
    municipal = Sector.objects.get(code="municipal")
    found, created = find_or_create_organization(name=org_a.name, sector=municipal)
    assert not created and found.sector.code == "communautaire"
    bare = Organization.objects.create(name="Sans secteur")
    found, _created = find_or_create_organization(name="sans  secteur", sector=municipal)
    assert found == bare and found.sector == municipal
