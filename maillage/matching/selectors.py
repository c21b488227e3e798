"""Reads that span several models: the coordinator's matching page and a participant's group."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from maillage.core.models import Territory
from maillage.mentoring.models import Group, GroupMember
from maillage.programs.models import Program, Role

from .instance import Roster, roster, side_key, weights_of
from .models import Exclusion, MatchRun, PairConstraint, Proposal
from .presentation import Factor, certificate_text, engine_message, pair_factors, principal


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


def run_view(run: MatchRun, people: Roster) -> tuple[list[GroupView], list[UnmatchedView]]:
    """The run's proposals and unmatched people, ready for the page."""
    weights = run.instance.get("weights", {})
    labels = run.labels()
    participants = {p["id"]: p for s in ("mentors", "mentees") for p in run.instance.get(s, [])}
    regions = region_names({p.get("region") or "" for p in participants.values()})
    orgs = {s.key: s.organization for s in [*people.mentors, *people.mentees]}
    sides = {s.key: s for s in people.mentors}
    mentors = [(p["id"], p.get("label") or p["id"]) for p in run.instance.get("mentors", [])]
    grouped = {
        f"R{m.role_id}"
        for m in GroupMember.objects.filter(
            group__program_id=run.program_id,
            group__status=Group.Status.ACTIVE,
            side=GroupMember.Side.MENTEE,
        )
    }
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
    runs = list(program.match_runs.select_related("created_by__person")[:10])
    latest = runs[0] if runs else None
    done = next((r for r in runs if r.is_done), None) or program.match_runs.done().first()
    groups, unmatched = run_view(done, people) if done else ([], [])
    regions = region_names({s.data.get("region") or "" for s in [*people.mentors, *people.mentees]})
    mentor_keys = {s.key: s.label for s in people.mentors}
    mentee_keys = {s.key: s.label for s in people.mentees}
    constraints = [
        (
            c,
            mentor_keys.get(side_key(c.mentor), str(c.mentor.person)),
            mentee_keys.get(f"R{c.mentee_id}", str(c.mentee.person)),
        )
        for c in PairConstraint.objects.for_program(program)
    ]
    exclusions = [
        (
            x,
            mentor_keys.get(side_key(x.mentor), str(x.mentor.person)),
            mentee_keys.get(f"R{x.mentee_id}", str(x.mentee.person)),
        )
        for x in Exclusion.objects.for_program(program)
    ]
    accepted = list(
        Group.objects.active()
        .filter(program=program)
        .select_related("track", "approved_by__person")
        .prefetch_related("members__role__person")
    )
    return {
        "people": people,
        "regions": regions,
        "runs": runs,
        "latest": latest,
        "done": done,
        "failed": latest if latest and latest.is_failed else None,
        "problems": [engine_message(p) for p in latest.problems]
        if latest and latest.is_failed
        else [],
        "pending": latest if latest and latest.status in ("queued", "running") else None,
        "certificate": certificate_text(done.certificate) if done else "",
        "groups": groups,
        "unmatched": unmatched,
        "open_proposals": any(g.open for g in groups),
        "constraints": constraints,
        "exclusions": exclusions,
        "accepted": accepted,
        "weights": weights_of(program),
    }


@dataclass
class MyGroup:
    group: Group
    mentors: list[str]
    mentees: list[str]
    pairs: list[PairView]
    shared_themes: list[str]
    approved_at: Any
    engine_version: str


def my_groups(program: Program, user: Any) -> list[MyGroup]:
    """The user's active groups with the principal factors of the decision about them: a mentee
    sees only their own pair; a mentor side sees its pairs (each is a decision about it)."""
    mine = set(program.roles.of_user(user).values_list("pk", flat=True))
    out = []
    for group in (
        Group.objects.active()
        .filter(program=program, members__role__in=mine)
        .distinct()
        .select_related("created_from__approval", "track")
        .prefetch_related("members__role__person")
    ):
        members = list(group.members.all())
        is_mentor = any(m.role_id in mine and m.side == GroupMember.Side.MENTOR for m in members)
        visible = {
            f"R{m.role_id}"
            for m in members
            if m.side == GroupMember.Side.MENTEE and (is_mentor or m.role_id in mine)
        }
        approval = getattr(group.created_from, "approval", None) if group.created_from else None
        factors = approval.factors if approval else {}
        weights = (approval.inputs if approval else {}).get("weights", {})
        names = {f"R{m.role_id}": m.role.person.full_name for m in members}
        pairs = []
        for pair in factors.get("explanation", {}).get("pairs", []):
            if pair["mentee"] in visible:
                found = pair_factors(pair, weights)
                pairs.append(
                    PairView(
                        key=pair["mentee"],
                        label=names.get(pair["mentee"], ""),
                        organization="",
                        region="",
                        factors=found,
                        total=float(pair.get("total", 0.0)),
                        locked=False,
                        principal=principal(found),
                    )
                )
        out.append(
            MyGroup(
                group=group,
                mentors=[
                    m.role.person.full_name for m in members if m.side == GroupMember.Side.MENTOR
                ],
                mentees=[
                    m.role.person.full_name for m in members if m.side == GroupMember.Side.MENTEE
                ],
                pairs=pairs,
                shared_themes=factors.get("explanation", {})
                .get("shared_themes", {})
                .get("themes", []),
                approved_at=group.approved_at,
                engine_version=approval.engine_version if approval else "",
            )
        )
    return out


def is_participant(program: Program, user: Any) -> bool:
    return (
        program.roles.of_user(user).filter(kind__in=[Role.Kind.MENTOR, Role.Kind.MENTEE]).exists()
    )
