"""Accreditation frameworks as data, versioned: a framework has parts, a part has criteria, and
each criterion names the kinds of evidence (`evidence.EVIDENCE`) it expects from the program's
own data. A dossier stores the framework's code and version, so that a later edition of a
framework never changes what a program prepared or an assessor rated against.

Two frameworks show the model is general: Mentorat Québec's accreditation in two parts (seed 002,
« Programme d'accréditation en deux volets »: *Design*, then *Déploiement*) and MENTOR's
*Elements of Effective Practice for Mentoring* (fourth edition, six standards).

To add a framework: append a `Framework` to `FRAMEWORKS` (its texts in French and English, each
criterion with the evidence it expects); to change one, add a new version rather than editing a
version dossiers already use.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation


@dataclass(frozen=True)
class Criterion:
    code: str
    title_fr: str
    title_en: str
    text_fr: str
    text_en: str
    # What the assessor expects to see, in words; `evidence` are the kinds gathered from data.
    expects_fr: str
    expects_en: str
    evidence: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return _pick(self.title_fr, self.title_en)

    @property
    def text(self) -> str:
        return _pick(self.text_fr, self.text_en)

    @property
    def expects(self) -> str:
        return _pick(self.expects_fr, self.expects_en)


@dataclass(frozen=True)
class Part:
    code: str
    name_fr: str
    name_en: str
    summary_fr: str
    summary_en: str
    criteria: tuple[Criterion, ...]

    @property
    def name(self) -> str:
        return _pick(self.name_fr, self.name_en)

    @property
    def summary(self) -> str:
        return _pick(self.summary_fr, self.summary_en)

    def criterion(self, code: str) -> Criterion | None:
        return next((c for c in self.criteria if c.code == code), None)


@dataclass(frozen=True)
class Framework:
    code: str
    version: int
    name_fr: str
    name_en: str
    body_fr: str
    body_en: str
    parts: tuple[Part, ...]

    @property
    def name(self) -> str:
        return _pick(self.name_fr, self.name_en)

    @property
    def body(self) -> str:
        return _pick(self.body_fr, self.body_en)

    def part(self, code: str) -> Part | None:
        return next((p for p in self.parts if p.code == code), None)


def _pick(fr: str, en: str) -> str:
    lang = (translation.get_language() or "fr")[:2]
    return en if lang == "en" and en else fr


C = Criterion

MENTORAT_QUEBEC = Framework(
    code="mentorat-quebec",
    version=1,
    name_fr="Accréditation en mentorat inclusif (Mentorat Québec)",
    name_en="Inclusive mentoring accreditation (Mentorat Québec)",
    body_fr="Mentorat Québec",
    body_en="Mentorat Québec",
    parts=(
        Part(
            code="design",
            name_fr="Design",
            name_en="Design",
            summary_fr="La conception du programme : qui il choisit, pour qui, avec quels outils "
            "et quelle formation des participant·es.",
            summary_en="How the program is designed: whom it selects, for whom, with which "
            "tools and how participants are trained.",
            criteria=(
                C(
                    "design-selection",
                    "Critères de sélection",
                    "Selection criteria",
                    "Le programme choisit ses participant·es selon des critères écrits, pondérés "
                    "et connus d’avance, appliqués de la même façon à chaque candidature.",
                    "The program selects its participants by written, weighted criteria known "
                    "in advance and applied the same way to every application.",
                    "La liste des critères et leur poids ; le formulaire d’intérêt qui les "
                    "annonce.",
                    "The list of criteria and their weights; the interest form that states them.",
                    ("selection_criteria", "interest_form"),
                ),
                C(
                    "design-inclusion",
                    "Objectifs d’inclusion",
                    "Inclusion objectives",
                    "Le programme se donne des objectifs de représentation (femmes, personnes "
                    "racisées, autochtones, en situation de handicap, 2SLGBTQI+, nouvelles "
                    "arrivantes…) et les suit, dans le respect du consentement.",
                    "The program sets representation objectives (women, racialized, Indigenous, "
                    "disabled, 2SLGBTQI+, newcomers…) and follows them, with consent.",
                    "Les objectifs d’inclusion du programme et leur suivi.",
                    "The program's inclusion objectives and how they are followed.",
                    ("inclusion_objectives",),
                ),
                C(
                    "design-tools",
                    "Outils adaptés",
                    "Adapted tools",
                    "Le programme offre des outils adaptés à ses participant·es : une entente de "
                    "mentorat complète, des outils partagés dans les groupes.",
                    "The program offers tools suited to its participants: a complete mentoring "
                    "agreement, tools shared in the groups.",
                    "Le modèle d’entente (ses six points) ; les outils partagés.",
                    "The agreement template (its six points); the shared tools.",
                    ("agreement_template", "shared_tools"),
                ),
                C(
                    "design-training",
                    "Formation des participant·es",
                    "Training of participants",
                    "Mentor·es et personnes mentorées sont formés avant et pendant le mentorat, "
                    "notamment aux biais inconscients.",
                    "Mentors and mentees are trained before and during mentoring, including on "
                    "unconscious bias.",
                    "Les formations offertes et qui les a suivies.",
                    "The trainings offered and who completed them.",
                    ("training_completion",),
                ),
            ),
        ),
        Part(
            code="deploiement",
            name_fr="Déploiement",
            name_en="Deployment",
            summary_fr="Le programme en marche : recrutement, jumelages, formation, suivi et "
            "évaluation des résultats.",
            summary_en="The program at work: recruitment, matches, training, follow-up and "
            "evaluation of results.",
            criteria=(
                C(
                    "deploy-recruitment",
                    "Recrutement",
                    "Recruitment",
                    "Le recrutement rejoint le public visé par un formulaire clair, et chaque "
                    "candidature reçoit une décision motivée.",
                    "Recruitment reaches the intended public through a clear form, and every "
                    "application gets a reasoned decision.",
                    "Le formulaire d’intérêt ; les candidatures reçues et les décisions.",
                    "The interest form; applications received and decisions.",
                    ("interest_form", "applications"),
                ),
                C(
                    "deploy-matches",
                    "Jumelages",
                    "Matches",
                    "Les jumelages sont faits selon les critères du programme, de façon "
                    "traçable, et approuvés par une personne.",
                    "Matches follow the program's criteria, traceably, and are approved by a "
                    "person.",
                    "Le certificat du jumelage approuvé (optimalité ou écart prouvé).",
                    "The approved matching's certificate (optimality or proven gap).",
                    ("matching_certificate",),
                ),
                C(
                    "deploy-training",
                    "Formation",
                    "Training",
                    "Les formations prévues ont été données et suivies.",
                    "The planned trainings were given and completed.",
                    "Les formations données et le taux de participation.",
                    "Trainings given and completion rates.",
                    ("training_completion",),
                ),
                C(
                    "deploy-follow-up",
                    "Suivi",
                    "Follow-up",
                    "Les groupes se rencontrent au rythme prévu, la banque d’heures est suivie, "
                    "et les difficultés signalées sont réglées.",
                    "Groups meet as planned, the hours bank is followed, and reported problems "
                    "are resolved.",
                    "Les rencontres tenues, les heures utilisées, les alertes résolues.",
                    "Meetings held, hours used, alerts resolved.",
                    ("follow_up", "alerts_resolved"),
                ),
                C(
                    "deploy-evaluation",
                    "Évaluation des résultats",
                    "Evaluation of results",
                    "Le programme mesure la satisfaction et les effets, avec un bon taux de "
                    "réponse, et vérifie sa conformité aux bonnes pratiques.",
                    "The program measures satisfaction and effects with a good response rate, "
                    "and checks itself against good practice.",
                    "Les taux de réponse, les résultats, le bilan de santé du programme.",
                    "Response rates, results, the program's health check.",
                    ("evaluation_responses", "evaluation_results", "health_check"),
                ),
            ),
        ),
    ),
)

MENTOR_EEP = Framework(
    code="mentor-eep",
    version=4,
    name_fr="Éléments d’une pratique efficace du mentorat (MENTOR, 4e édition)",
    name_en="Elements of Effective Practice for Mentoring (MENTOR, 4th edition)",
    body_fr="MENTOR: The National Mentoring Partnership",
    body_en="MENTOR: The National Mentoring Partnership",
    parts=(
        Part(
            code="normes",
            name_fr="Six normes",
            name_en="Six standards",
            summary_fr="Les six normes de pratique, du recrutement à la clôture de la relation.",
            summary_en="The six standards of practice, from recruitment to closure.",
            criteria=(
                C(
                    "eep-recruitment",
                    "Recrutement",
                    "Recruitment",
                    "Recruter des mentor·es et des personnes mentorées appropriés en décrivant "
                    "de façon réaliste les rôles et les bienfaits attendus.",
                    "Recruit appropriate mentors and mentees by realistically describing the "
                    "program's aims and expected outcomes.",
                    "Le formulaire d’intérêt ; les candidatures reçues.",
                    "The interest form; applications received.",
                    ("interest_form", "applications"),
                ),
                C(
                    "eep-screening",
                    "Filtrage",
                    "Screening",
                    "Filtrer les candidatures selon des critères établis pour retenir les "
                    "personnes qui peuvent tenir l’engagement.",
                    "Screen prospective mentors and mentees against set criteria to retain "
                    "those who can keep the commitment.",
                    "Les critères de sélection et leur poids.",
                    "The selection criteria and their weights.",
                    ("selection_criteria",),
                ),
                C(
                    "eep-training",
                    "Formation",
                    "Training",
                    "Former les participant·es avant le début de la relation.",
                    "Train prospective participants before the relationship starts.",
                    "Les formations offertes et qui les a suivies.",
                    "Trainings offered and who completed them.",
                    ("training_completion",),
                ),
                C(
                    "eep-matching",
                    "Jumelage et démarrage",
                    "Matching and Initiating",
                    "Jumeler selon des critères qui favorisent des relations durables, et "
                    "démarrer chaque relation par une rencontre et une entente.",
                    "Match on criteria that foster lasting relationships, and start each with "
                    "a meeting and an agreement.",
                    "Le certificat du jumelage approuvé ; le modèle d’entente.",
                    "The approved matching's certificate; the agreement template.",
                    ("matching_certificate", "agreement_template"),
                ),
                C(
                    "eep-monitoring",
                    "Suivi et soutien",
                    "Monitoring and Support",
                    "Suivre chaque relation au rythme prévu et soutenir les participant·es "
                    "quand une difficulté survient.",
                    "Monitor each relationship on schedule and support participants when a "
                    "problem arises.",
                    "Les rencontres tenues, les heures ; les alertes résolues.",
                    "Meetings held, hours; alerts resolved.",
                    ("follow_up", "alerts_resolved"),
                ),
                C(
                    "eep-closure",
                    "Clôture",
                    "Closure",
                    "Clore chaque relation de façon planifiée, en recueillant ce que les "
                    "participant·es en retirent.",
                    "Close each relationship in a planned way, gathering what participants gained.",
                    "Les taux de réponse aux questionnaires et leurs résultats.",
                    "Questionnaire response rates and results.",
                    ("evaluation_responses", "evaluation_results"),
                ),
            ),
        ),
    ),
)

FRAMEWORKS: tuple[Framework, ...] = (MENTORAT_QUEBEC, MENTOR_EEP)


def framework(code: str, version: int | None = None) -> Framework | None:
    return next(
        (f for f in FRAMEWORKS if f.code == code and (version is None or f.version == version)),
        None,
    )
