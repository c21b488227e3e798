"""A fictional program modeled on the pilot (seed 000), for `./run` and for tests.

Every name here is invented. Ten organizations in ten regions apply; four are selected into the
two tracks (Logistique, Synergies); three mentors (two from one organization) accept; an advisory
committee gives its opinion.

`build_demo()` builds the current edition, stopped at matching. `build_demo(edition=PAST_EDITION)`
builds the same call for proposals a year earlier, with the same people and organizations (found
by e-mail and by name, never duplicated); `pilot.build_past_edition` then replays its
mentoring, evaluation and report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from maillage.core.models import Domain, Organization, Person, Sector, Team, TeamMember, Territory
from maillage.demo.speeddating import build_demo_speed_dating
from maillage.intake.models import Application, MentorContact, PotentialMentor
from maillage.programs.models import Consent, Program, Role
from maillage.programs.services import (
    CONSENT_TEXT_VERSION,
    add_track,
    assign_role,
    consent_text,
    create_program,
    has_consent,
    record_consent,
)
from maillage.selection.models import CommitteeOpinion, Criterion, Decision, Review, Score

from .selfmatching import build_demo_self_matching

DEMO_TITLE = "Maillages et mentorat — réemploi alimentaire (démo)"
PAST_DEMO_TITLE = "Maillages et mentorat — réemploi alimentaire, édition 2025 (démo, terminée)"
DEMO_PASSWORD = "demo-maillage-2026"
DEMO_DOMAIN = "demo.maillage.org"


@dataclass(frozen=True)
class Edition:
    """What changes from one edition of the demo program to the next: its title and calendar."""

    title: str
    start: date
    end: date
    received: date  # the first application; one more each day after
    committee_meeting: date
    # The decisions (mentors contacted 19 days before, applicants told the day after). None: 151
    # days before today, so that the current edition's spring stays in the past.
    decided: date | None = None
    description_note: str = ""
    # A completed edition leaves no application waiting: the ones received too late for the
    # committee are declined with this reason, unscored.
    late_reason: str = ""


CURRENT_EDITION = Edition(
    title=DEMO_TITLE,
    start=date(2026, 7, 6),
    end=date(2026, 12, 11),
    received=date(2026, 4, 6),
    committee_meeting=date(2026, 4, 21),
)
# The pilot's calendar a year earlier: every meeting of the replay is in the past.
PAST_EDITION = Edition(
    title=PAST_DEMO_TITLE,
    start=date(2025, 7, 7),
    end=date(2025, 12, 12),
    received=date(2025, 4, 7),
    committee_meeting=date(2025, 4, 22),
    decided=date(2025, 5, 6),
    description_note=(
        " Édition terminée : groupes, rencontres, évaluation et rapport d’impact publié."
    ),
    late_reason=(
        "Pas évaluée à temps pour la rencontre du comité : invitée à présenter sa candidature "
        "à l’édition suivante."
    ),
)


@dataclass(frozen=True)
class Applicant:
    org: str
    region: str  # region code "01".."17"
    mrc: str  # MRC code
    first: str
    last: str
    position: str
    can_decide: bool
    concept: str
    operations: str
    barriers: str
    help: str
    revise: str
    track: str | None  # track name when selected
    outcome: str  # selected / waitlisted / declined / received
    scores: tuple[int, ...]  # the coordinator's scores for the seven criteria
    reason: str = ""
    language: str = "fr"


APPLICANTS: list[Applicant] = [
    Applicant(
        "Frigo Partagé du Fjord",
        "02",
        "941",
        "Sophie",
        "Lavoie",
        "Directrice générale",
        True,
        "Récupération d’invendus auprès de six épiceries et redistribution à douze organismes "
        "du territoire depuis 2016 ; 180 tonnes d’aliments récupérées l’an dernier.",
        "Collecte en camion réfrigéré trois fois par semaine, tri dans un entrepôt partagé, "
        "livraison aux points de service.",
        "Notre camion frigorifique est vieillissant et nos tournées de collecte sont mal "
        "optimisées ; l’espace de tri et d’entreposage au froid est trop petit.",
        "Profiter de l’expérience d’un organisme qui mutualise ses véhicules et a réorganisé son "
        "tri pour planifier l’achat d’un véhicule et revoir nos circuits.",
        "La direction décide des achats et de l’organisation du travail.",
        "Logistique",
        "selected",
        (5, 5, 4, 5, 4, 5, 4),
        "Besoins logistiques précis, projet établi, volumes importants, direction engagée.",
    ),
    Applicant(
        "Cuisine Solidaire de la Mitis",
        "01",
        "090",
        "François",
        "Gauthier",
        "Coordonnateur des opérations",
        True,
        "Cuisine collective qui transforme les surplus agricoles et les invendus en repas "
        "congelés vendus à prix solidaire dans trois MRC.",
        "Transport des denrées depuis les producteurs, entreposage au froid, transformation, "
        "distribution dans les points de vente.",
        "Le transport sur un grand territoire coûte cher : nous voulons partager une flotte de "
        "camions avec d’autres organismes et mieux organiser l’entrepôt.",
        "Apprendre comment rédiger une entente de mutualisation de camions et organiser le "
        "tri des aliments récupérés.",
        "Je coordonne les opérations et le conseil d’administration appuie le projet.",
        "Logistique",
        "selected",
        (5, 4, 4, 4, 5, 4, 4),
        "Complémentaire au premier projet Logistique, ouvert à revoir ses processus.",
    ),
    Applicant(
        "Marché Solidaire Trifluvien",
        "04",
        "371",
        "Annie",
        "Bélanger",
        "Directrice",
        True,
        "Épicerie solidaire, jardin collectif et service de repas réunis dans un même projet "
        "qui cherche à mieux relier ses volets.",
        "Gestion de l’épicerie, coordination des bénévoles, activités de jardinage, "
        "partenariats avec les écoles.",
        "Nos volets fonctionnent en silo et certains partenaires se sont retirés : nous devons "
        "revoir la gouvernance et mobiliser de nouveaux partenaires.",
        "Un regard stratégique pour créer des synergies entre les volets et choisir quels "
        "partenaires solliciter et comment les approcher.",
        "Ouverte à revoir le modèle : le conseil a mandaté la direction pour le faire.",
        "Synergies",
        "selected",
        (5, 4, 4, 5, 5, 4, 5),
        "Besoin de développement stratégique ; partenariats multiples dans la région.",
    ),
    Applicant(
        "Garde-Manger de la Petite-Nation",
        "07",
        "800",
        "Karim",
        "Haddad",
        "Président du conseil d’administration",
        False,
        "Comptoir alimentaire et projet de marché de proximité en développement avec la "
        "municipalité et un regroupement de producteurs.",
        "Approvisionnement auprès des producteurs, gestion des bénévoles, mise en marché.",
        "Clarifier les rôles des partenaires du projet et structurer la gouvernance avant "
        "d’embaucher une ressource à la coordination.",
        "Établir un plan d’action et des étapes claires pour la personne que nous allons "
        "embaucher à la coordination.",
        "La future coordination aura ce pouvoir ; l’embauche est en cours.",
        "Synergies",
        "selected",
        (4, 4, 4, 4, 4, 4, 5),
        "Projet prometteur ; à surveiller : la personne désignée n’est pas encore en poste.",
    ),
    Applicant(
        "Entraide Alimentaire Beauce-Etchemins",
        "12",
        "280",
        "Lucie",
        "Poulin",
        "Coordonnatrice",
        True,
        "Banque alimentaire régionale en démarrage d’un volet de récupération en épicerie.",
        "Collecte, tri, redistribution.",
        "Former les bénévoles au tri et obtenir un financement pour un véhicule.",
        "Conseils sur la formation des bénévoles.",
        "Nous pouvons revoir nos processus.",
        None,
        "waitlisted",
        (4, 4, 3, 3, 4, 3, 3),
        "Bon projet, mais moins avancé ; en attente si une place se libère.",
    ),
    Applicant(
        "Les Paniers du Nord",
        "15",
        "780",
        "Martin",
        "Lévesque",
        "Agent de projet",
        False,
        "Distribution de paniers d’aliments aux familles.",
        "Commandes et distribution hebdomadaires.",
        "Trouver plus de bénévoles.",
        "Des idées pour recruter.",
        "Les décisions reviennent au conseil.",
        None,
        "declined",
        (3, 2, 3, 2, 2, 2, 2),
        "Besoins surtout en recrutement de bénévoles, hors du thème du réemploi alimentaire.",
    ),
    Applicant(
        "Récolte Abitibienne",
        "08",
        "860",
        "Geneviève",
        "Dufour",
        "Directrice",
        True,
        "Glanage dans les fermes et transformation des surplus.",
        "Glanage, transport, transformation.",
        "Structurer le glanage et trouver des débouchés.",
        "Partager des outils de planification.",
        "Direction ouverte au changement.",
        None,
        "declined",
        (3, 3, 3, 3, 4, 3, 2),
        "Projet au stade de l’idée : le mentorat aidera davantage dans un an.",
    ),
    Applicant(
        "Cuisine Partage Gaspésie",
        "11",
        "040",
        "Olivier",
        "Cloutier",
        "Coordonnateur",
        True,
        "Repas communautaires à partir de denrées récupérées.",
        "Cuisine et distribution.",
        "Réduire le gaspillage dans notre cuisine.",
        "Partage d’expériences.",
        "Nous pouvons ajuster nos pratiques.",
        None,
        "declined",
        (3, 3, 3, 3, 3, 3, 3),
        "Pertinent, mais d’autres projets répondaient mieux aux critères cette année.",
    ),
    Applicant(
        "Frigos Communautaires Lanaudière",
        "14",
        "620",
        "Mélanie",
        "Girard",
        "Chargée de projet",
        False,
        "Réseau de frigos libre-service alimentés par des commerces.",
        "Approvisionnement et entretien des frigos.",
        "Assurer la salubrité et l’approvisionnement régulier.",
        "Conseils sur les normes et la logistique.",
        "Je dois consulter la direction.",
        None,
        "received",
        (0, 0, 0, 0, 0, 0, 0),
    ),
    Applicant(
        "Food Rescue Centre-du-Québec",
        "17",
        "320",
        "Daniel",
        "Caron",
        "Executive director",
        True,
        "Food rescue from local grocers, redistributed to community kitchens.",
        "Pick-ups, cold storage, deliveries.",
        "Scale up pick-ups while keeping volunteers.",
        "Learn from a larger organization's logistics.",
        "I can change our processes.",
        None,
        "received",
        (0, 0, 0, 0, 0, 0, 0),
        language="en",
    ),
]

MENTOR_TEAM_ORG = ("Réseau Récupération Solidaire", "16", "670")
MENTOR_SYNERGIES_ORG = ("Alliance alimentaire territoriale", "05", "430")

LOGISTICS_EXPERTISE = (
    "Logistique de transport d’aliments : optimisation des tournées de collecte, choix et "
    "mutualisation de véhicules réfrigérés, ententes de partage de camions entre organismes, "
    "organisation de l’espace de tri et d’entreposage au froid, outils de suivi des volumes."
)
SYNERGIES_EXPERTISE = (
    "Développement stratégique et global en alimentation sur un territoire : gouvernance, "
    "mobilisation et adhésion des partenaires, plans d’action par étapes, liens entre les volets "
    "d’un projet (production, transformation, distribution), systèmes alimentaires durables."
)


def _region(code: str) -> Territory:
    return Territory.objects.get(code=f"QC-{code}")


def _mrc(code: str) -> Territory:
    found = Territory.objects.filter(code=f"QC-MRC-{code}").first()
    return found


def _organization(name: str, **fields) -> Organization:
    """The demo organization of that name, created the first time (editions share them)."""
    found = Organization.objects.filter(name=name).order_by("pk").first()
    return found or Organization.objects.create(name=name, **fields)


def _account(person: Person, *, superuser: bool = False) -> None:
    user_model = get_user_model()
    user = user_model.objects.create_user(
        username=person.email, email=person.email, password=DEMO_PASSWORD
    )
    if superuser:
        user.is_staff = user.is_superuser = True
        user.save()
    person.user = user
    person.save()


def _person(
    first: str, last: str, org: Organization | None, *, login: bool = False, **extra
) -> Person:
    slug = f"{first}.{last}".lower()
    for a, b in (("é", "e"), ("è", "e"), ("ë", "e"), ("ç", "c"), ("ô", "o"), ("î", "i")):
        slug = slug.replace(a, b)
    email = f"{slug}@{DEMO_DOMAIN}"
    # The e-mail is the login: a person already there from another edition is the same person.
    found = Person.objects.filter(email=email).order_by("pk").first()
    if found is not None:
        return found
    person = Person.objects.create(
        first_name=first,
        last_name=last,
        email=email,
        organization=org,
        languages=extra.pop("languages", ["fr"]),
        **extra,
    )
    if login:
        _account(person)
    return person


def _consent_verbally(person: Person, program: Program, *, by: Person, at: datetime) -> None:
    if not has_consent(person, program):
        record_consent(
            person=person,
            program=program,
            source=Consent.Source.VERBAL,
            by=by.user,
            text=consent_text(program),
            version=CONSENT_TEXT_VERSION,
            given_at=at,
        )


def demo_exists() -> bool:
    """Both editions are there (a database loaded before the past edition existed gets it)."""
    titles = {CURRENT_EDITION.title, PAST_EDITION.title}
    return Program.objects.filter(title__in=titles).count() == len(titles)


@transaction.atomic
def build_demo(*, edition: Edition = CURRENT_EDITION) -> Program:
    """Create one edition of the demo program and everything around it, reusing the people and
    organizations another edition created. Call once per edition (see demo_exists)."""
    community = Sector.objects.get(code="communautaire")
    reuse = Domain.objects.filter(code="reemploi_alimentaire").first()
    now = timezone.now()
    if edition.decided is None:
        decided = now - timedelta(days=151)
    else:
        decided = timezone.make_aware(datetime.combine(edition.decided, time(10)))

    coordinating = _organization(
        "Villes Vivantes (organisme fictif)",
        kind=Organization.Kind.NONPROFIT,
        sector=community,
        territory=_mrc("230") or _region("03"),
        phase=Organization.Phase.ACTIVE,
    )
    camille = _person(
        "Camille",
        "Gagnon",
        coordinating,
        login=True,
        position="Chargée de projet, coordination",
        can_decide=True,
    )
    program = create_program(
        by=camille,
        title=edition.title,
        theme="Optimisation du réemploi alimentaire en milieu communautaire",
        description=(
            "Mailler des organismes communautaires en réemploi alimentaire de régions "
            "différentes avec des pairs reconnus, pour optimiser la logistique et créer des "
            "synergies. Programme fictif inspiré du projet pilote Maillages et mentorat (2022)."
            + edition.description_note
        ),
        coordinating_organization=coordinating,
        sector=community,
        domain=reuse,
        status=Program.Status.MATCHING,
        start_date=edition.start,
        end_date=edition.end,
    )
    tracks = {
        "Logistique": add_track(
            program=program,
            name="Logistique",
            description="Transport, tri et entreposage des aliments ; mutualisation d’équipements.",
        ),
        "Synergies": add_track(
            program=program,
            name="Synergies",
            description="Synergies entre les volets d’un projet et développement de partenariats.",
        ),
    }

    # The advisory committee, an evaluator and a funder.
    committee = [
        _person("Nadia", "Roy", None, login=True, position="Membre du comité consultatif"),
        _person("Julien", "Bouchard", None, position="Membre du comité consultatif"),
        _person("Amélie", "Côté", None, position="Membre du comité consultatif"),
    ]
    for person in committee:
        assign_role(program=program, person=person, kind=Role.Kind.COMMITTEE)
        # Asked to sit on the committee by the coordinator, who recorded their word.
        _consent_verbally(person, program, by=camille, at=decided - timedelta(days=40))
    evaluator = _person("Laurence", "Pelletier", coordinating, login=True, position="Évaluatrice")
    assign_role(program=program, person=evaluator, kind=Role.Kind.OBSERVER)
    funder_org = _organization(
        "Fondation Table Commune (fictive)",
        kind=Organization.Kind.OTHER,
        sector=Sector.objects.filter(code="philanthropie").first(),
        territory=_region("06"),
    )
    funder = _person(
        "Robert", "Morin", funder_org, login=True, position="Conseiller aux programmes"
    )
    assign_role(program=program, person=funder, kind=Role.Kind.FUNDER)

    # Mentors: a team of two from one organization (Logistique) and one person (Synergies).
    name, region, mrc = MENTOR_TEAM_ORG
    team_org = _organization(
        f"{name} (fictif)",
        sector=community,
        territory=_mrc(mrc) or _region(region),
        phase=Organization.Phase.ACTIVE,
    )
    marc = _person(
        "Marc",
        "Tremblay",
        team_org,
        login=True,
        position="Directeur de la logistique",
        can_decide=True,
        working_style="structured",
        expertise=LOGISTICS_EXPERTISE,
        availability=["tue-am", "wed-pm", "thu-am"],
    )
    isabelle = _person(
        "Isabelle",
        "Fortin",
        team_org,
        position="Responsable de l’entrepôt",
        working_style="structured",
        expertise=LOGISTICS_EXPERTISE,
        availability=["tue-am", "thu-am"],
    )
    team, _created = Team.objects.get_or_create(
        name=f"Équipe logistique — {team_org.name}", organization=team_org
    )
    TeamMember.objects.get_or_create(team=team, person=marc, defaults={"is_referent": True})
    TeamMember.objects.get_or_create(
        team=team, person=isabelle, defaults={"note": "anime en alternance selon le thème"}
    )
    name, region, mrc = MENTOR_SYNERGIES_ORG
    syn_org = _organization(
        f"{name} (fictive)",
        sector=community,
        territory=_mrc(mrc) or _region(region),
        phase=Organization.Phase.ACTIVE,
    )
    helene = _person(
        "Hélène",
        "Bergeron",
        syn_org,
        position="Conseillère en développement",
        can_decide=True,
        working_style="structured",
        expertise=SYNERGIES_EXPERTISE,
        availability=["mon-pm", "wed-pm", "thu-am"],
    )

    potential = [
        (
            marc,
            LOGISTICS_EXPERTISE,
            ["logistique", "transport"],
            "accepted",
            tracks["Logistique"],
            team,
        ),
        (
            isabelle,
            LOGISTICS_EXPERTISE,
            ["tri", "entreposage"],
            "accepted",
            tracks["Logistique"],
            team,
        ),
        (
            helene,
            SYNERGIES_EXPERTISE,
            ["gouvernance", "partenariats"],
            "accepted",
            tracks["Synergies"],
            None,
        ),
    ]
    for first, last, status in (
        ("Pierre", "Ouellet", "declined"),
        ("Sylvie", "Nadeau", "contacted"),
    ):
        person = _person(first, last, None, expertise="Gestion d’une banque alimentaire régionale.")
        potential.append((person, person.expertise, ["sécurité alimentaire"], status, None, None))
    for person, expertise, themes, status, track, side_team in potential:
        record = PotentialMentor.objects.create(
            program=program,
            person=person,
            expertise=expertise,
            themes=themes,
            capacity=2,
            status=status,
            track=track,
            suggested_by="Comité consultatif",
        )
        MentorContact.objects.create(
            potential_mentor=record,
            at=decided - timedelta(days=19),
            channel="phone",
            summary="Premier contact : présentation du programme et de la banque de 20 heures.",
            by=camille.user,
        )
        if status == "accepted":
            assign_role(
                program=program,
                person=person,
                kind=Role.Kind.MENTOR,
                track=track,
                team=side_team,
                capacity=2,
            )
            # A mentor says yes on the phone: the coordinator records the consent on their word.
            _consent_verbally(person, program, by=camille, at=decided - timedelta(days=19))

    # Ten applications, scored by two reviewers, four selected.
    form = program.forms.first()
    criteria = list(Criterion.objects.filter(program=program).order_by("order"))
    reviewers = [camille, committee[0]]
    received = timezone.make_aware(datetime.combine(edition.received, time(10)))
    for index, a in enumerate(APPLICANTS):
        outcome, reason = a.outcome, a.reason
        late = outcome == "received" and bool(edition.late_reason)
        if late:
            outcome, reason = "declined", edition.late_reason
        org = _organization(
            f"{a.org} (fictif)",
            sector=community,
            territory=_mrc(a.mrc) or _region(a.region),
            phase=Organization.Phase.ACTIVE if a.can_decide else Organization.Phase.DEVELOPMENT,
            description=a.concept,
        )
        if reuse:
            org.domains.add(reuse)
        email = f"{a.first}.{a.last}".lower().replace("é", "e").replace("è", "e").replace("ç", "c")
        email = f"{email}@{DEMO_DOMAIN}"
        application = Application.objects.create(
            program=program,
            form=form,
            language=a.language,
            organization=org,
            organization_name=org.name,
            contact_name=f"{a.first} {a.last}",
            email=email,
            region=_region(a.region),
            status=outcome,
            answers={
                "organization": org.name,
                "region": f"QC-{a.region}",
                "contact_name": f"{a.first} {a.last}",
                "email": email,
                "position": a.position,
                "concept": a.concept,
                "operations": a.operations,
                "barriers": a.barriers,
                "mentoring_help": a.help,
                "revise_processes": a.revise,
                "comments": "",
            },
            consent_given=True,
            consent_version=form.consent_version if form else 1,
            consent_language=a.language,
            consent_at=received + timedelta(days=index),
        )
        Application.objects.filter(pk=application.pk).update(
            submitted_at=received + timedelta(days=index)
        )
        if outcome == "received":
            continue
        for shift, reviewer in enumerate(reviewers if not late else []):
            review = Review.objects.create(
                application=application,
                reviewer=reviewer,
                comment="Lu et évalué selon les sept critères." if shift == 0 else "",
            )
            Score.objects.bulk_create(
                Score(
                    review=review,
                    criterion=criterion,
                    value=max(0, min(5, value - (shift and index % 2))),
                )
                for criterion, value in zip(criteria, a.scores, strict=True)
            )
        # Read in the days before the committee meets, its opinion recorded that evening.
        reviewed = timezone.make_aware(
            datetime.combine(edition.committee_meeting - timedelta(days=3), time(14))
        )
        Review.objects.filter(application=application).update(
            created_at=reviewed, updated_at=reviewed
        )
        if a.outcome in ("selected", "waitlisted"):
            opinion = CommitteeOpinion.objects.create(
                application=application,
                opinion="favorable" if a.outcome == "selected" else "reserved",
                comment="Avis du comité consultatif à la rencontre d’avril.",
                meeting_date=edition.committee_meeting,
                recorded_by=camille.user,
            )
            CommitteeOpinion.objects.filter(pk=opinion.pk).update(
                recorded_at=timezone.make_aware(
                    datetime.combine(edition.committee_meeting, time(19))
                )
            )
        track = tracks.get(a.track) if a.track else None
        Decision.objects.create(
            application=application,
            outcome=outcome,
            reason=reason,
            track=track,
            decided_by=camille.user,
            notified_at=decided + timedelta(days=1),
        )
        # Decided and announced in the spring, as in the pilot's calendar.
        Decision.objects.filter(application=application).update(decided_at=decided)
        if a.outcome == "selected":
            mentee = _person(
                a.first,
                a.last,
                org,
                login=(a.first == "Sophie"),
                position=a.position,
                can_decide=a.can_decide,
                languages=[a.language],
                language=a.language,
                working_style="intuitive" if index % 2 == 0 else "structured",
                availability=["tue-am", "wed-pm", "thu-am"]
                if a.track == "Logistique"
                else ["mon-pm", "wed-pm"],
            )
            application.person = mentee
            application.track = track
            application.save(update_fields=["person", "track"])
            assign_role(program=program, person=mentee, kind=Role.Kind.MENTEE, track=track)
            if not has_consent(mentee, program):
                # The consent ticked on the interest form becomes the person's for the program.
                record_consent(
                    person=mentee,
                    program=program,
                    source=Consent.Source.FORM,
                    by=camille.user,
                    version=application.consent_version,
                    language=application.consent_language,
                    given_at=application.consent_at,
                )

    admin = _person("Admin", "Maillage", None, position="Administration de la plateforme")
    if admin.user_id is None:
        _account(admin, superuser=True)
    program.hours_bank = Decimal("20")
    program.save(update_fields=["hours_bank"])
    if edition is CURRENT_EDITION:  # its speed dating, held yesterday
        build_demo_speed_dating(program)
        build_demo_self_matching(program)
    return program
