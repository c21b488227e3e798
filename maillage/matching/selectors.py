"""Reads that span several models: the coordinator's matching page and a participant's group."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.models import AVAILABILITY_SLOTS, Language, Sector, Territory
from maillage.core.tables import local, number
from maillage.inclusion.engine_inputs import preference_words
from maillage.programs.models import Program, Role
from maillage.programs.services import consent_token

from .instance import Roster, roster, weights_of
from .models import Exclusion, MatchRun, PairConstraint, ProfileCard, Proposal, SelfMatching
from .presentation import (
    PAIR_CRITERIA,
    Factor,
    certificate_text,
    engine_message,
    pair_factors,
    principal,
)
from .seats import build_board, own_side, seats_text
from .signals import StandingGroup, standing_groups_of


@dataclass
class PairView:
    key: str
    label: str
    organization: str
    region: str
    factors: list[Factor]
    total: float
    locked: bool
    principal: list[Factor] = field(default_factory=list)
    people: list[str] = field(default_factory=list)  # a mentee team's members
    # Declared preferences honoured or not, in words, never naming a group (inclusion).
    preferences: list[str] = field(default_factory=list)


@dataclass
class GroupView:
    proposal: Proposal
    mentor_key: str
    mentor_label: str
    people: list[str]
    region: str
    pairs: list[PairView]
    shared_themes: list[str]
    bonus: float
    others: list[tuple[str, str]]  # the other mentor sides a mentee can be moved to
    grouped: bool = False  # its mentees already form an accepted group

    @property
    def open(self) -> bool:
        return not (self.proposal.is_accepted or self.grouped)


@dataclass
class UnmatchedView:
    key: str
    side: str
    label: str
    reasons: list[str]


def region_names(codes: set[str]) -> dict[str, str]:
    return {t.code: t.name for t in Territory.objects.filter(code__in=[c for c in codes if c])}


def sector_names(codes: set[str]) -> dict[str, str]:
    return {s.code: s.name for s in Sector.objects.filter(code__in=[c for c in codes if c])}


def run_view(run: MatchRun, people: Roster) -> tuple[list[GroupView], list[UnmatchedView]]:
    """The run's proposals and unmatched people, ready for the page."""
    weights = run.instance.get("weights", {})
    labels = run.labels()
    participants = {p["id"]: p for s in ("mentors", "mentees") for p in run.instance.get(s, [])}
    regions = region_names({p.get("region") or "" for p in participants.values()})
    # A city team is often named after its organization: say it once.
    orgs = {
        s.key: s.organization if s.organization != s.label else ""
        for s in [*people.mentors, *people.mentees]
    }
    sides = {s.key: s for s in people.mentors}
    teams = {s.key: s.people for s in people.mentees if s.is_team}
    mentors = [(p["id"], p.get("label") or p["id"]) for p in run.instance.get("mentors", [])]
    grouped = {people.key_of(r) for g in standing_groups_of(run.program) for r in g.mentee_roles}
    groups = []
    for proposal in run.proposals.all():
        explanation = proposal.explanation
        locked = set(explanation.get("locked", []))
        pairs = []
        for pair in explanation.get("pairs", []):
            key = pair["mentee"]
            factors = pair_factors(pair, weights)
            pairs.append(
                PairView(
                    key=key,
                    label=labels.get(key, key),
                    organization=orgs.get(key, ""),
                    region=regions.get(participants.get(key, {}).get("region") or "", ""),
                    factors=factors,
                    total=float(pair.get("total", 0.0)),
                    locked=key in locked,
                    principal=principal(factors),
                    people=teams.get(key, []),
                    preferences=preference_words(
                        participants.get(proposal.mentor_key, {}), participants.get(key, {})
                    ),
                )
            )
        shared = explanation.get("shared_themes", {})
        side = sides.get(proposal.mentor_key)
        groups.append(
            GroupView(
                proposal=proposal,
                mentor_key=proposal.mentor_key,
                mentor_label=proposal.mentor_label,
                people=side.people if side and side.team_id else [],
                region=regions.get(
                    participants.get(proposal.mentor_key, {}).get("region") or "", ""
                ),
                pairs=pairs,
                shared_themes=list(shared.get("themes", [])),
                bonus=float(shared.get("bonus", 0.0)),
                others=[(k, v) for k, v in mentors if k != proposal.mentor_key],
                grouped=bool(proposal.mentee_keys) and set(proposal.mentee_keys) <= grouped,
            )
        )
    unmatched = [
        UnmatchedView(
            key=u["id"],
            side=u.get("side", "mentee"),
            label=labels.get(u["id"], u["id"]),
            reasons=[engine_message(r) for r in u.get("reasons", [])],
        )
        for u in run.result.get("unmatched", [])
    ]
    return groups, unmatched


def overview(program: Program) -> dict[str, Any]:
    """Everything the coordinator's matching page shows."""
    people = roster(program)
    runs = list(program.match_runs.engine().select_related("created_by__person")[:10])
    latest = runs[0] if runs else None
    done = next((r for r in runs if r.is_done), None) or program.match_runs.done().first()
    groups, unmatched = run_view(done, people) if done else ([], [])
    sides = [*people.mentors, *people.mentees]
    regions = region_names({s.data.get("region") or "" for s in sides})
    # Shown beside the region: the « same sector » rule excludes pairs on it.
    sectors = sector_names({s.data.get("sector") or "" for s in sides})
    mentor_keys = {s.key: s.label for s in people.mentors}
    mentee_keys = {s.key: s.label for s in people.mentees}
    constraints = [
        (
            c,
            mentor_keys.get(people.key_of(c.mentor), str(c.mentor.person)),
            mentee_keys.get(people.key_of(c.mentee), str(c.mentee.person)),
        )
        for c in PairConstraint.objects.for_program(program)
    ]
    exclusions = [
        (
            x,
            mentor_keys.get(people.key_of(x.mentor), str(x.mentor.person)),
            mentee_keys.get(people.key_of(x.mentee), str(x.mentee.person)),
        )
        for x in Exclusion.objects.for_program(program)
    ]
    accepted = standing_groups_of(program)
    lost = bool(latest and latest.is_lost())
    return {
        "people": people,
        "regions": regions,
        "sectors": sectors,
        "runs": runs,
        "latest": latest,
        "done": done,
        "failed": latest if latest and latest.is_failed else None,
        "problems": [engine_message(p) for p in latest.problems]
        if latest and latest.is_failed
        else [],
        "pending": latest if latest and latest.status in MatchRun.PENDING and not lost else None,
        "lost": latest if lost else None,
        "certificate": certificate_text(done.certificate) if done else "",
        "groups": groups,
        "unmatched": unmatched,
        "open_proposals": any(g.open for g in groups),
        "constraints": constraints,
        "exclusions": exclusions,
        "accepted": accepted,
        "weights": weights_of(program),
    }


def is_participant(program: Program, user: Any) -> bool:
    return (
        program.roles.of_user(user).filter(kind__in=[Role.Kind.MENTOR, Role.Kind.MENTEE]).exists()
    )


# --- The tables of the coordinator's page, as downloaded (same rows, same columns) -----------

Table = tuple[list[str], list[list[Any]]]


def _yes_no(value: bool) -> str:
    return _("Oui") if value else _("Non")


def proposals_table(page: dict[str, Any]) -> Table:
    """One row per proposed pair, with its group's facts and each criterion's value,
    contribution and weight (the columns of the pair's table on the page)."""
    groups: list[GroupView] = page["groups"]
    shown = {f.name: f.label for g in groups for p in g.pairs for f in p.factors}
    criteria = [(name, shown[name]) for name in PAIR_CRITERIA if name in shown]
    headers = [
        _("Côté mentor"),
        _("Équipe"),
        _("Région du côté mentor"),
        _("Volet"),
        _("État"),
        _("Score du groupe"),
        _("Thèmes partagés"),
        _("Personne mentorée"),
        _("Organisation"),
        _("Région"),
        _("Paire imposée"),
        _("Score de la paire"),
    ]
    for _name, label in criteria:
        headers += [
            _("%(criterion)s : valeur (%%)") % {"criterion": label},
            _("%(criterion)s : contribution") % {"criterion": label},
            _("%(criterion)s : poids") % {"criterion": label},
        ]
    rows = []
    for g in groups:
        state = (
            _("Accepté")
            if g.proposal.is_accepted
            else _("Groupe déjà formé")
            if g.grouped
            else _("Proposé")
        )
        group = [
            g.mentor_label,
            ", ".join(g.people),
            g.region,
            str(g.proposal.track or ""),
            state,
            number(g.proposal.score),
            ", ".join(g.shared_themes),
        ]
        for p in g.pairs:
            factors = {f.name: f for f in p.factors}
            cells: list[Any] = []
            for name, _label in criteria:
                f = factors.get(name)
                cells += [f.percent, number(f.contribution), number(f.weight)] if f else [None] * 3
            label = f"{p.label} ({', '.join(p.people)})" if p.people else p.label
            pair = [label, p.organization, p.region, _yes_no(p.locked), number(p.total)]
            rows.append([*group, *pair, *cells])
    return headers, rows


def unmatched_table(page: dict[str, Any]) -> Table:
    headers = [_("Personne ou côté"), _("Type"), _("Pourquoi")]
    rows = [
        [
            u.label,
            _("côté mentor") if u.side == "mentor" else _("personne mentorée"),
            "\n".join(u.reasons),
        ]
        for u in page["unmatched"]
    ]
    return headers, rows


def group_members(group: StandingGroup) -> list[str]:
    """The group's people, mentor side first, each mentor marked as such."""
    mentor = _("mentor")
    return [f"{name} ({mentor})" for name in group.mentors] + group.mentees


def accepted_table(page: dict[str, Any]) -> Table:
    headers = [_("Groupe"), _("Volet"), _("Membres"), _("Accepté le"), _("Accepté par")]
    rows = []
    for group in page["accepted"]:
        rows.append(
            [
                group.name,
                group.track,
                ", ".join(group_members(group)),
                timezone.localdate(group.approved_at).isoformat() if group.approved_at else "",
                group.approved_by,
            ]
        )
    return headers, rows


def constraints_table(page: dict[str, Any]) -> Table:
    headers = [_("Contrainte"), _("Personne mentorée"), _("Côté mentor"), _("Origine")]
    rows = [
        [c.get_kind_display(), mentee, mentor, c.get_source_display()]
        for c, mentor, mentee in page["constraints"]
    ]
    return headers, rows


def exclusions_table(page: dict[str, Any]) -> Table:
    headers = [
        _("Motif"),
        _("Précision"),
        _("Personne mentorée"),
        _("Côté mentor"),
        _("Déclaré par"),
    ]
    rows = [
        [x.get_reason_display(), x.note, mentee, mentor, x.get_declared_by_display()]
        for x, mentor, mentee in page["exclusions"]
    ]
    return headers, rows


def _region(page: dict[str, Any], side: Any) -> str:
    return page["regions"].get(side.data.get("region") or "", "")


def _sector(page: dict[str, Any], side: Any) -> str:
    return page["sectors"].get(side.data.get("sector") or "", "")


def mentees_table(page: dict[str, Any]) -> Table:
    headers = [
        _("Personne"),
        _("Équipe"),
        _("Organisation"),
        _("Volet"),
        _("Région"),
        _("Secteur"),
        _("À compléter"),
    ]
    rows = [
        [
            s.label,
            ", ".join(s.people) if s.is_team else "",
            s.organization,
            str(s.track or ""),
            _region(page, s),
            _sector(page, s),
            "\n".join(s.missing),
        ]
        for s in page["people"].mentees
    ]
    return headers, rows


def mentors_table(page: dict[str, Any]) -> Table:
    headers = [
        _("Côté mentor"),
        _("Équipe"),
        _("Volet"),
        _("Région"),
        _("Secteur"),
        _("Places"),
        _("À compléter"),
    ]
    rows = [
        [
            s.label,
            ", ".join(s.people) if s.team_id else "",
            str(s.track or ""),
            _region(page, s),
            _sector(page, s),
            s.capacity,
            "\n".join(s.missing),
        ]
        for s in page["people"].mentors
    ]
    return headers, rows


def runs_table(page: dict[str, Any]) -> Table:
    headers = [_("Date"), _("Par"), _("Statut"), _("Jumelé·es"), _("Score total")]
    rows = []
    for r in page["runs"]:
        by = r.created_by
        rows.append(
            [
                local(r.created_at),
                (getattr(getattr(by, "person", None), "full_name", "") or by.email) if by else "",
                r.get_status_display(),
                r.certificate.get("matched"),
                number(r.certificate.get("objective")),
            ]
        )
    return headers, rows


# The page's tables by the name of their download: (file and sheet name, builder).
HOME_TABLES: dict[str, tuple[Any, Any]] = {
    "proposals": (gettext_lazy("groupes proposés"), proposals_table),
    "unmatched": (gettext_lazy("personnes non jumelées"), unmatched_table),
    "accepted": (gettext_lazy("groupes acceptés"), accepted_table),
    "constraints": (gettext_lazy("paires imposées ou interdites"), constraints_table),
    "exclusions": (gettext_lazy("conflits"), exclusions_table),
    "mentees": (gettext_lazy("personnes mentorées"), mentees_table),
    "mentors": (gettext_lazy("côtés mentors"), mentors_table),
    "runs": (gettext_lazy("jumelages précédents"), runs_table),
}


def home_table(program: Program, name: str) -> tuple[Any, Table]:
    """One table of the coordinator's page, from the same reads as the page."""
    title, build = HOME_TABLES[name]
    return title, build(overview(program))


# --- Self-matching ----------------------------------------------------------------------------


@dataclass
class ProfileView:
    """One side of the program as the other side sees it: only what its people agreed to show,
    why it fits in words, its seats and, for a mentee, whether she may ask and why not."""

    key: str
    label: str
    people: list[str]
    track: str
    track_id: int | None
    intro: list[str]
    photo_card: int | None = None
    text: str = ""
    organization: str = ""
    sector: str = ""
    region: str = ""
    languages: list[str] = field(default_factory=list)
    availability: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    fit: list[str] = field(default_factory=list)
    seats: int | None = None
    seats_text: str = ""
    reasons: list[str] = field(default_factory=list)
    requested: bool = False
    # Raw values behind the shown ones, for the filters (only when shown).
    region_code: str = ""
    sector_code: str = ""
    slots: list[str] = field(default_factory=list)


PROFILE_FILTERS = ("track", "region", "sector", "theme", "slot")


def _profile_view(side: Any, cards: dict[int, Any], names: dict[str, dict[str, str]]) -> Any:
    mine = [cards[r.person_id] for r in side.roles if r.person_id in cards]

    def shown(flag: str) -> bool:
        # A team's data is shown when one of its members agreed.
        return any(getattr(c, flag) for c in mine)

    data = side.data
    slots = dict(AVAILABILITY_SLOTS)
    langs = dict(Language.choices)
    view = ProfileView(
        key=side.key,
        label=side.label,
        people=side.people,
        track=str(side.track or ""),
        track_id=side.track.pk if side.track else None,
        intro=list(dict.fromkeys(c.intro for c in mine if c.intro)),
        themes=list(data.get("themes") or []),
    )
    photo = next((c for c in mine if c.show_photo and c.photo), None)
    view.photo_card = photo.pk if photo else None
    if shown("show_text"):
        view.text = side.text
    if shown("show_organization"):
        view.organization = side.organization
        view.sector_code = data.get("sector") or ""
        view.sector = names["sectors"].get(view.sector_code, "")
    if shown("show_region"):
        view.region_code = data.get("region") or ""
        view.region = names["regions"].get(view.region_code, "")
    if shown("show_languages"):
        view.languages = [str(langs.get(x, x)) for x in data.get("languages") or []]
    if shown("show_availability"):
        view.slots = list(data.get("availability") or [])
        view.availability = [str(slots.get(x, x)) for x in view.slots]
    return view


def _keep(view: ProfileView, filters: dict[str, str]) -> bool:
    theme = (filters.get("theme") or "").casefold()
    return (
        (not filters.get("track") or str(view.track_id) == filters["track"])
        and (not filters.get("region") or view.region_code == filters["region"])
        and (not filters.get("sector") or view.sector_code == filters["sector"])
        and (not theme or any(t.casefold() == theme for t in view.themes))
        and (not filters.get("slot") or filters["slot"] in view.slots)
    )


def profiles_page(program: Program, user: Any, filters: dict[str, str]) -> dict[str, Any]:
    """The other side's profiles for a participant, filtered; a mentee side also reads whether
    it may ask each mentor side, and why not."""
    board = build_board(program)
    mentee = own_side(program, user, Role.Kind.MENTEE, board.people)
    mentor = None if mentee else own_side(program, user, Role.Kind.MENTOR, board.people)
    others = board.people.mentors if mentee or not mentor else board.people.mentees
    cards = {c.person_id: c for c in ProfileCard.objects.filter(program=program)}
    names = {
        "regions": region_names({s.data.get("region") or "" for s in others}),
        "sectors": sector_names({s.data.get("sector") or "" for s in others}),
    }
    views = [_profile_view(side, cards, names) for side in others]
    # Participants browse once the coordinator opened self-matching (the cards are made for
    # it); the coordinator looks beforehand, to check what they will see.
    if (mentee or mentor) and (board.setting is None or not board.setting.is_open):
        views = []
    # A participant without consent is in no side: they see nobody either (Law 25), only how
    # to give their consent.
    consent_url = consent_link(program, user)
    if consent_url:
        views = []
    me = mentee or mentor
    if me is not None:
        pairs = [(me.key, v.key) if mentee else (v.key, me.key) for v in views]
        words = board.fit_words(pairs)
        for view, pair in zip(views, pairs, strict=True):
            view.fit = words.get(pair, [])
    live = board.live_of(mentee.key) if mentee else None
    for view in views:
        if mentee:
            view.seats = board.seats_left(view.key)
            view.seats_text = seats_text(view.seats)
            view.requested = live is not None and live.mentor_key == view.key
            view.reasons = [] if view.requested else board.blockers(mentee.key, view.key)
    # Ones that may be asked first, then by how many criteria fit.
    views.sort(key=lambda v: (bool(v.reasons), -len(v.fit), v.label.casefold()))
    options = {
        "track": [(str(t.pk), t.name) for t in program.tracks.all()],
        "region": sorted({(v.region_code, v.region) for v in views if v.region_code}, key=_second),
        "sector": sorted({(v.sector_code, v.sector) for v in views if v.sector_code}, key=_second),
        "theme": sorted({(t, t) for v in views for t in v.themes}, key=_second),
        "slot": [(k, str(label)) for k, label in AVAILABILITY_SLOTS],
    }
    shown = [v for v in views if _keep(v, filters)]
    return {
        "board": board,
        "consent_url": consent_url,
        "closed_reason": board.closed_reason(),
        "setting": board.setting,
        "mentee_side": mentee,
        "mentor_side": mentor,
        "live": live,
        "profiles": shown,
        "total": len(views),
        "filters": filters,
        "options": options,
    }


def consent_link(program: Program, user: Any) -> str:
    """For a mentor or mentee of `program` without a valid consent (never given, or withdrawn):
    the address of their own consent page, shown on the self-matching pages; else ""."""
    role = (
        program.roles.of_user(user)
        .filter(kind__in=[Role.Kind.MENTOR, Role.Kind.MENTEE])
        .without_consent()
        .select_related("person")
        .first()
    )
    if role is None:
        return ""
    return reverse("programs:consent", args=[consent_token(role.person, program)])


def _second(item: tuple[str, str]) -> str:
    return item[1].casefold()


def my_requests(program: Program, user: Any) -> dict[str, Any]:
    """The requests of the user's sides: the ones she sent (a mentee side) and the ones to
    answer (a mentor side), newest first."""
    board = build_board(program)
    consent_url = consent_link(program, user)
    mentee = own_side(program, user, Role.Kind.MENTEE, board.people)
    mentor = own_side(program, user, Role.Kind.MENTOR, board.people)
    requests = program.match_requests.select_related("answered_by__person")
    return {
        "board": board,
        "consent_url": consent_url,
        "closed_reason": board.closed_reason(),
        "mentee_side": mentee,
        "mentor_side": mentor,
        "sent": list(requests.filter(mentee_key=mentee.key)) if mentee else [],
        "received": list(requests.filter(mentor_key=mentor.key)) if mentor else [],
        "seats": board.seats_left(mentor.key) if mentor else None,
    }


def requests_overview(program: Program) -> dict[str, Any]:
    """The coordinator's view: every request, the accepted ones grouped by mentor side (one
    group to approve per side), and each mentor side's seats."""
    board = build_board(program)
    requests = list(program.match_requests.select_related("requested_by__person"))
    to_approve: dict[str, list[Any]] = {}
    for req in requests:
        if req.status == req.Status.ACCEPTED:
            to_approve.setdefault(req.mentor_key, []).append(req)
    mentors = [
        {
            "side": side,
            "capacity": board.capacity(side.key),
            "held": len(board.holding(side.key)),
            "seats_text": seats_text(board.seats_left(side.key)),
        }
        for side in board.people.mentors
    ]
    return {
        "board": board,
        "setting": board.setting,
        "closed_reason": board.closed_reason(),
        "requests": requests,
        "pending": [r for r in requests if r.status == r.Status.PENDING],
        "to_approve": [(reqs[0].mentor_label, key, reqs) for key, reqs in to_approve.items()],
        "mentors": mentors,
    }


def self_matching_initial(program: Program) -> dict[str, Any]:
    setting = SelfMatching.objects.filter(program=program).first()
    if setting is None:
        return {}
    closes = timezone.localtime(setting.closes_at) if setting.closes_at else None
    return {"is_open": setting.is_open, "closes_at": closes}
