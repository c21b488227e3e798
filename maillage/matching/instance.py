"""From the platform to the engine: a program's mentees and mentor sides as a jumelage instance.

Engine ids are stable strings: "R12" for a mentor or mentee Role alone, "T3" for a Team whose
Roles form one side (the mentor organization's team, or a mentored city of three people). A team
sits on one side of a program, so "T3" is in one of the two lists only (see `side_key`). Texts
are not sent to the engine: each needs or expertise text is encoded once and cached
(`TextVector`), and the pair fits computed from the cached vectors go in as `pair_fit`, so a run
never waits on a language model and its stored inputs stay small.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from jumelage import fit as textfit
from jumelage.model import Weights
from maillage.core.textfit import get_encoder
from maillage.inclusion.engine_inputs import declared_for_matching, side_inputs
from maillage.intake.models import Application, PotentialMentor, Question
from maillage.programs.models import Consent, Program, Role, Track

from .models import Exclusion, PairConstraint, TextVector
from .signals import standing_groups_of

# Answers of the pilot's form that describe a mentee's needs, after the question mapped to
# "needs" (the priority barriers): how mentoring would help, the operations, the concept.
NEEDS_KEYS = ("mentoring_help", "operations", "concept")
WEIGHT_NAMES = tuple(Weights().__dict__)


@dataclass
class Side:
    """One participant of the engine as the platform sees it: a mentor or a mentee side, each a
    person alone or a team."""

    key: str
    kind: str  # "mentor" or "mentee"
    label: str
    roles: list[Role]
    track: Track | None
    team_id: int | None = None
    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    organization: str = ""
    capacity: int | None = None

    @property
    def role(self) -> Role:
        """The role that stands for the side in constraints (a team's first member)."""
        return self.roles[0]

    @property
    def is_team(self) -> bool:
        return self.team_id is not None

    @property
    def people(self) -> list[str]:
        return [r.person.full_name for r in self.roles]


@dataclass
class Roster:
    """The sides the engine may process, and the mentor and mentee roles it may not: their
    person has no valid consent for the program (Law 25), so they are in no side, no run, no
    self-matching board and no speed-dating event until they consent (`left_out`, for the
    coordinator's page only)."""

    mentors: list[Side]
    mentees: list[Side]
    left_out: list[Role] = field(default_factory=list)

    def mentor(self, key: str) -> Side | None:
        return next((s for s in self.mentors if s.key == key), None)

    def mentee(self, key: str) -> Side | None:
        return next((s for s in self.mentees if s.key == key), None)

    @property
    def mentee_people(self) -> int:
        return sum(len(s.roles) for s in self.mentees)

    @property
    def mentee_teams(self) -> int:
        return sum(1 for s in self.mentees if s.is_team)

    @property
    def mentor_teams(self) -> set[int]:
        return {s.team_id for s in self.mentors if s.team_id}

    def key_of(self, role: Role) -> str:
        """Engine id of the side of a mentor or mentee role (a constraint's, a group member's)."""
        return side_key(role, mentor_teams=self.mentor_teams)


def side_key(role: Role, *, mentor_teams: Collection[int] = ()) -> str:
    """Engine id of the side a mentor or mentee role belongs to: its team's, or its own.

    The pages keep a team on one side of a program (`create_team` takes one side's roles,
    `update_team` keeps it), so "T3" names one side. Only the admin or an import could give a
    team mentor and mentee roles of one program: the team then stays the mentor side's and its
    mentees are matched one by one (`mentor_teams`: the program's mentor teams), so that the two
    lists never share an id."""
    if role.team_id and (
        role.kind == Role.Kind.MENTOR
        or (role.kind == Role.Kind.MENTEE and role.team_id not in mentor_teams)
    ):
        return f"T{role.team_id}"
    return f"R{role.pk}"


def mentor_team_ids(program: Program) -> set[int]:
    """The teams that are mentor sides of the program (see `side_key`)."""
    return set(
        program.roles.filter(kind=Role.Kind.MENTOR, team__isnull=False).values_list(
            "team_id", flat=True
        )
    )


def weights_of(program: Program) -> dict[str, float]:
    """The program's weights over the engine's defaults (ignoring anything unknown or invalid)."""
    out = dict(Weights().__dict__)
    for name, value in (program.matching_weights or {}).items():
        if name in out:
            try:
                out[name] = max(0.0, float(value))
            except (TypeError, ValueError):
                continue
    return out


def policy_of(program: Program) -> dict[str, Any]:
    return {
        "group_size": program.mentees_per_group,
        "region_rule": program.region_rule,
        "sector_rule": "any" if program.allow_mentor_from_other_sector else "same_sector",
        "mentee_region_rule": "different_region"
        if program.mentees_from_different_regions
        else "any",
        "require_common_language": True,
        "require_availability_overlap": True,
    }


# --- Participants -----------------------------------------------------------------------------


def _place(org: Any) -> tuple[str | None, str | None]:
    """(region code, MRC code) of an organization's territory."""
    territory = getattr(org, "territory", None)
    if territory is None:
        return None, None
    region = territory.region()
    mrc = territory.mrc()
    return (region.code if region else None), (mrc.code if mrc else None)


def _themes(*groups: Any) -> list[str]:
    """Distinct themes, case- and space-insensitive, first spelling kept."""
    seen: dict[str, str] = {}
    for group in groups:
        if isinstance(group, str):
            group = [t for t in group.replace(";", ",").split(",")]
        for theme in group or []:
            text = str(theme).strip()
            if text:
                seen.setdefault(text.casefold(), text)
    return list(seen.values())


def _join(texts: list[str]) -> str:
    unique = list(dict.fromkeys(t.strip() for t in texts if t and t.strip()))
    return "\n".join(unique)


def _missing(data: dict[str, Any], text: str, kind: str, program: Program) -> list[str]:
    out = []
    if not data.get("region"):
        out.append(str(_("aucune région : la règle de territoire ne s’applique pas")))
    if not data.get("sector") and not program.allow_mentor_from_other_sector:
        out.append(str(_("aucun secteur : la règle du même secteur ne s’applique pas")))
    if not text:
        out.append(
            str(_("aucun texte de besoins"))
            if kind == "mentee"
            else str(_("aucun texte d’expertise"))
        )
    if not data.get("availability"):
        out.append(str(_("aucune disponibilité indiquée")))
    if not data.get("style"):
        out.append(str(_("style de travail non indiqué")))
    return out


def _needs_keys(program: Program) -> list[str]:
    mapped = Question.objects.filter(
        form__program=program, maps_to=Question.Maps.NEEDS
    ).values_list("key", flat=True)
    return list(dict.fromkeys([*mapped, *NEEDS_KEYS]))


def mentee_sides(program: Program) -> list[Side]:
    """The program's mentee sides: a person alone, or a team whose members are matched together
    (a mentored city: its municipality, civil society and association people), merged as a
    mentor team is."""
    roles = (
        program.roles.filter(kind=Role.Kind.MENTEE)
        .consented()
        .select_related("person__organization__territory__parent", "person__organization__sector")
        .select_related(
            "track", "team__organization__territory__parent", "team__organization__sector"
        )
        .prefetch_related("team__memberships")
        .order_by("pk")
    )
    keys = _needs_keys(program)
    applications: dict[int, Application] = {}
    # The most relevant application per person: a selected one first, then the latest.
    for app in (
        Application.objects.filter(program=program, person__isnull=False)
        .select_related("track", "region", "sector")
        .order_by("-submitted_at", "-pk")
    ):
        current = applications.get(app.person_id)
        if current is None or (
            app.status == Application.Status.SELECTED
            and current.status != Application.Status.SELECTED
        ):
            applications[app.person_id] = app
    mentor_teams = mentor_team_ids(program)
    declared = declared_for_matching(program)
    groups: dict[str, list[Role]] = {}
    for role in roles:
        groups.setdefault(side_key(role, mentor_teams=mentor_teams), []).append(role)
    out = []
    for key, members in groups.items():
        people = [r.person for r in members]
        apps = [applications[p.pk] for p in people if p.pk in applications]
        team = members[0].team if key.startswith("T") else None
        org = (team.organization if team else None) or next(
            (p.organization for p in people if p.organization_id), None
        )
        track = next((r.track for r in members if r.track_id), None) or next(
            (a.track for a in apps if a.track_id), None
        )
        region, mrc = _place(org)
        if region is None:
            region = next((a.region.code for a in apps if a.region_id), None)
        sector = org.sector.code if org and org.sector_id else None
        if sector is None:
            sector = next((a.sector.code for a in apps if a.sector_id), None)
        # Needs written by the coordination on the person's page come first.
        text = _join(
            [r.needs for r in members] + [str(a.answers.get(k) or "") for a in apps for k in keys]
        )
        referent = _referent(team, people)
        label = team.name if team else people[0].full_name
        data = {
            "id": key,
            "label": label,
            "region": region,
            "mrc": mrc,
            "sector": sector,
            "languages": list(dict.fromkeys(lang for p in people for lang in p.spoken_languages())),
            # A team meets together: the side is available whenever one member is, as a
            # mentor team is.
            "availability": list(dict.fromkeys(s for p in people for s in p.availability or [])),
            "themes": _themes(
                [track.name] if track else [], *[a.answers.get("themes") for a in apps]
            ),
            "style": (referent.working_style if referent else "")
            or next((p.working_style for p in people if p.working_style), None),
            "track_id": track.pk if track else None,  # not read by the engine: for proposals
            # The groups its people chose to declare for matching (« Préférences déclarées »).
            **side_inputs(declared, [p.pk for p in people]),
        }
        if team:
            # Not read by the engine: who the side is, kept with a run's and an approval's inputs.
            data["members"] = [f"R{r.pk}" for r in members]
        out.append(
            Side(
                key=key,
                kind="mentee",
                label=label,
                roles=members,
                track=track,
                team_id=team.pk if team else None,
                text=text,
                data=data,
                missing=_missing(data, text, "mentee", program),
                organization=org.name
                if org
                else next((a.organization_name for a in apps if a.organization_name), ""),
            )
        )
    return out


def mentor_sides(program: Program) -> list[Side]:
    roles = list(
        program.roles.filter(kind=Role.Kind.MENTOR)
        .consented()
        .select_related("person__organization__territory__parent", "person__organization__sector")
        .select_related("track", "team__organization__territory__parent")
        .order_by("pk")
    )
    potential: dict[int, PotentialMentor] = {
        p.person_id: p for p in PotentialMentor.objects.filter(program=program)
    }
    declared = declared_for_matching(program)
    groups: dict[str, list[Role]] = {}
    for role in roles:
        groups.setdefault(side_key(role), []).append(role)
    out = []
    for key, members in groups.items():
        people = [r.person for r in members]
        team = members[0].team if key.startswith("T") else None
        org = (team.organization if team else None) or next(
            (p.organization for p in people if p.organization_id), None
        )
        region, mrc = _place(org)
        track = next((r.track for r in members if r.track_id), None)
        records = [potential[p.pk] for p in people if p.pk in potential]
        capacities = [r.capacity for r in members if r.capacity is not None]
        capacities += [rec.capacity for rec in records if not capacities]
        capacity = max(capacities) if capacities else program.mentees_per_group
        referent = _referent(team, people)
        text = _join([p.expertise for p in people] + [rec.expertise for rec in records])
        languages = list(dict.fromkeys(lang for p in people for lang in p.spoken_languages()))
        label = team.name if team else people[0].full_name
        data = {
            "id": key,
            "label": label,
            "region": region,
            "mrc": mrc,
            "sector": org.sector.code if org and org.sector_id else None,
            "languages": languages,
            # A team takes turns: the side is available whenever one member is.
            "availability": list(dict.fromkeys(s for p in people for s in p.availability or [])),
            "themes": _themes([track.name] if track else [], *[rec.themes for rec in records]),
            "style": (referent.working_style if referent else "")
            or next((p.working_style for p in people if p.working_style), None),
            "capacity": capacity,
            "track_id": track.pk if track else None,  # not read by the engine: for proposals
            **side_inputs(declared, [p.pk for p in people]),
        }
        if team:
            data["members"] = [f"R{r.pk}" for r in members]
        out.append(
            Side(
                key=key,
                kind="mentor",
                label=label,
                roles=members,
                track=track,
                team_id=team.pk if team else None,
                text=text,
                data=data,
                missing=_missing(data, text, "mentor", program),
                organization=org.name if org else "",
                capacity=capacity,
            )
        )
    return out


def _referent(team: Any, people: list[Any]) -> Any:
    if team is None:
        return people[0] if people else None
    ref = next((m.person for m in team.memberships.all() if m.is_referent), None)
    return ref if ref in people else (people[0] if people else None)


def left_out(program: Program) -> list[Role]:
    """The program's mentor and mentee roles whose person has not consented (or withdrew):
    never sent to the engine. A team side goes on with its members who consented. Each role
    carries `withdrawn_at`, the date of the person's last withdrawal (None: never consented),
    so that the coordinator knows whom they ask for the first time and who said no."""
    withdrawn = (
        Consent.objects.filter(person=OuterRef("person"), program=program)
        .order_by("-withdrawn_at")
        .values("withdrawn_at")[:1]
    )
    return list(
        program.roles.filter(kind__in=[Role.Kind.MENTOR, Role.Kind.MENTEE])
        .without_consent()
        .annotate(withdrawn_at=Subquery(withdrawn))
        .select_related("person", "team")
        .order_by("kind", "person__last_name", "person__first_name", "pk")
    )


def roster(program: Program) -> Roster:
    return Roster(
        mentors=mentor_sides(program), mentees=mentee_sides(program), left_out=left_out(program)
    )


# --- Text vectors -----------------------------------------------------------------------------


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fingerprint(encoder: Any) -> str:
    return str(getattr(encoder, "fingerprint", None) or encoder.name)


def cached_vectors(
    program: Program, sides: list[Side], side: str, encoder: Any
) -> list[bytes | None]:
    """One stored unit vector (bytes, or None for an empty text) per side, encoding only the
    texts whose hash or encoder changed since they were stored."""
    name = fingerprint(encoder)
    stored = {
        v.key: v
        for v in TextVector.objects.filter(
            program=program, side=side, key__in=[s.key for s in sides]
        )
    }
    todo = [
        s
        for s in sides
        if s.text
        and (
            s.key not in stored
            or stored[s.key].encoder != name
            or stored[s.key].text_hash != text_hash(s.text)
        )
    ]
    if todo:
        method = getattr(encoder, f"encode_{side}", None) or encoder.encode
        matrix = method([s.text for s in todo])
        with transaction.atomic():
            for row, s in enumerate(todo):
                blob = textfit.vector_to_bytes(matrix[row : row + 1])
                stored[s.key], _created = TextVector.objects.update_or_create(
                    program=program,
                    key=s.key,
                    side=side,
                    defaults={
                        "encoder": name,
                        "text_hash": text_hash(s.text),
                        "dim": int(matrix.shape[1]),
                        "vector": blob,
                    },
                )
    return [bytes(stored[s.key].vector) if s.text else None for s in sides]


def pair_fits(
    program: Program, mentors: list[Side], mentees: list[Side], encoder: Any
) -> list[dict[str, Any]]:
    """Calibrated cosine of every mentee's needs with every mentor side's expertise, from the
    cached vectors; pairs with no fit are left out (the engine reads them as 0)."""
    expertise = cached_vectors(program, mentors, "expertise", encoder)
    needs = cached_vectors(program, mentees, "needs", encoder)
    mi = [k for k, v in enumerate(expertise) if v is not None]
    ei = [k for k, v in enumerate(needs) if v is not None]
    if not mi or not ei:
        return []
    a = textfit.vectors_from_bytes([needs[k] for k in ei])
    b = textfit.vectors_from_bytes([expertise[k] for k in mi])
    scores = textfit.calibrate(textfit.score_vectors(a, b), encoder)
    out = []
    for r, e in enumerate(ei):
        for c, m in enumerate(mi):
            value = round(float(scores[r, c]), 6)
            if value > 0:
                out.append({"mentor": mentors[m].key, "mentee": mentees[e].key, "score": value})
    return out


# --- The instance -----------------------------------------------------------------------------


def build_instance(
    program: Program, *, encoder: Any = None, people: Roster | None = None, event: Any = None
) -> tuple[dict[str, Any], Roster]:
    """The engine's instance for this program, and the roster it was built from. The rankings
    of a speed-dating event (`event`, else the program's latest one with rankings) go in as each
    side's `ranking`: the stable mode reads them, and the « Choix exprimés » weight mixes them
    into the pair scores of every mode."""
    people = people or roster(program)
    encoder = encoder or get_encoder()
    mentor_keys = {s.key for s in people.mentors}
    mentee_keys = {s.key for s in people.mentees}

    def pairs(queryset: Any) -> list[tuple[str, str, Any]]:
        """Each stored pair as (mentor side, mentee side, item), once per pair of sides: a
        constraint or a conflict stored on one member of a team binds the whole team."""
        found, seen = [], set()
        for item in queryset:
            m, e = people.key_of(item.mentor), people.key_of(item.mentee)
            # A constraint on someone no longer in the program would only confuse the engine.
            if m in mentor_keys and e in mentee_keys and (m, e) not in seen:
                seen.add((m, e))
                found.append((m, e, item))
        return found

    constraints = pairs(PairConstraint.objects.for_program(program))
    locks = [{"mentor": m, "mentee": e} for m, e, c in constraints if c.kind == "lock"]
    forbidden = [{"mentor": m, "mentee": e} for m, e, c in constraints if c.kind == "forbid"]
    # People of an accepted group stay together in every later run.
    for group in standing_groups_of(program):
        if not group.mentor_roles:
            continue
        for mentee in group.mentee_roles:
            pair = {
                "mentor": people.key_of(group.mentor_roles[0]),
                "mentee": people.key_of(mentee),
            }
            if pair["mentor"] in mentor_keys and pair["mentee"] in mentee_keys:
                if pair not in locks:
                    locks.append(pair)
    exclusions = [
        {"mentor": m, "mentee": e, "reason": x.reason, "declared_by": x.declared_by}
        for m, e, x in pairs(Exclusion.objects.for_program(program))
    ]
    ranks = rankings_for(program, event)
    data = {
        "description": program.title,
        "policy": policy_of(program),
        "weights": weights_of(program),
        "mentors": [_ranked(s.data, ranks, mentee_keys) for s in people.mentors],
        "mentees": [_ranked(s.data, ranks, mentor_keys) for s in people.mentees],
        "exclusions": exclusions,
        "locks": locks,
        "forbidden": forbidden,
        "fit": {"backend": "lexical" if encoder.name == "lexical" else "auto"},
        "fit_encoder": fingerprint(encoder),
        "pair_fit": pair_fits(program, people.mentors, people.mentees, encoder)
        if weights_of(program)["fit"] > 0
        else [],
    }
    return data, people


def group_inputs(instance: dict[str, Any], mentor: str, mentees: list[str]) -> dict[str, Any]:
    """The slice of a run's inputs that concerns one group: what an approval keeps."""
    keys = {mentor, *mentees}

    def mine(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [x for x in items if x.get("mentor") in keys and x.get("mentee") in keys]

    return {
        "policy": instance.get("policy", {}),
        "weights": instance.get("weights", {}),
        "fit_encoder": instance.get("fit_encoder", ""),
        "mentors": [p for p in instance.get("mentors", []) if p["id"] == mentor],
        "mentees": [p for p in instance.get("mentees", []) if p["id"] in keys],
        "pair_fit": mine(instance.get("pair_fit", [])),
        "locks": mine(instance.get("locks", [])),
        "forbidden": mine(instance.get("forbidden", [])),
        "exclusions": mine(instance.get("exclusions", [])),
    }


# --- Speed dating: rankings and the event's instance --------------------------------------------


def rankings_for(program: Program, event: Any = None) -> dict[str, list[str]]:
    """Each side's ranking (engine ids, best first) from `event`, else from the program's latest
    published speed-dating event that has rankings; empty when none."""
    from .models import SpeedDatingEvent

    if event is None:
        event = (
            SpeedDatingEvent.objects.filter(
                program=program,
                status=SpeedDatingEvent.Status.PUBLISHED,
                rankings__isnull=False,
            )
            .order_by("-starts_at", "-pk")
            .first()
        )
    if event is None:
        return {}
    return {r.side_key: list(r.order) for r in event.rankings.all()}


def _ranked(data: dict[str, Any], ranks: dict[str, list[str]], others: set[str]) -> dict[str, Any]:
    order = [key for key in ranks.get(data["id"], []) if key in others]
    return {**data, "ranking": order} if order else data


def restrict_to_event(data: dict[str, Any], event: Any) -> dict[str, Any]:
    """The instance of the sides invited to `event`: only pairs who met may form a group (the
    others are forbidden), every rule of the program still holds."""
    mentors = set(event.mentor_keys)
    mentees = set(event.mentee_keys)
    met = set(event.meetings.values_list("mentor_key", "mentee_key"))

    def inside(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [x for x in items if x.get("mentor") in mentors and x.get("mentee") in mentees]

    out = dict(data)
    out["mentors"] = [p for p in data["mentors"] if p["id"] in mentors]
    out["mentees"] = [p for p in data["mentees"] if p["id"] in mentees]
    kept_m = {p["id"] for p in out["mentors"]}
    kept_e = {p["id"] for p in out["mentees"]}
    for key in ("exclusions", "locks", "forbidden", "pair_fit"):
        out[key] = inside(data.get(key, []))
    locked = {(x["mentor"], x["mentee"]) for x in out["locks"]}
    given = {(x["mentor"], x["mentee"]) for x in out["forbidden"]}
    out["forbidden"] = out["forbidden"] + [
        {"mentor": m, "mentee": e}
        for m in sorted(kept_m)
        for e in sorted(kept_e)
        if (m, e) not in met and (m, e) not in locked and (m, e) not in given
    ]
    out["speed_dating_event"] = event.pk
    return out
