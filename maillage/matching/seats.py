"""Self-matching's board: who may ask whom, and why not, read from the engine's own rules.

A mentee side asks a mentor side for a seat. The hard rules are the engine's (`jumelage.rules`,
applied to the instance the adapter builds, so there is one copy of them); the seats are the
mentor side's capacity (the engine's, never above the program's group size) minus the mentee
sides already in its groups and the live requests it holds (a pending request holds its seat).
Why a profile fits is the engine's explanation in the words participants read (never numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from jumelage import load_instance
from jumelage.explain import explain_groups
from jumelage.model import Instance
from jumelage.rules import broken_rules, class_overflows
from maillage.core.textfit import get_encoder
from maillage.programs.models import Program, Role

from .instance import Roster, Side, build_instance, weights_of
from .models import MatchRequest, SelfMatching
from .presentation import pair_factors, principal
from .signals import standing_groups_of

# What a participant reads when the engine's pair rule refuses a pair.
RULE_REASONS: dict[str, Any] = {
    "different_region": gettext_lazy(
        "Vous êtes de la même région : ce programme jumelle des régions différentes."
    ),
    "same_region_different_mrc": gettext_lazy(
        "Ce programme jumelle dans la même région, mais entre MRC différentes."
    ),
    "same_sector": gettext_lazy(
        "Vos secteurs d’activité diffèrent : ce programme jumelle dans un même secteur."
    ),
    "language": gettext_lazy("Vous n’avez aucune langue en commun."),
    "availability": gettext_lazy("Vous n’avez aucune disponibilité en commun."),
    "conflict_of_interest": gettext_lazy("Un conflit d’intérêts est déclaré entre vous."),
    "competition": gettext_lazy("Une situation de concurrence est déclarée entre vous."),
    "forbidden": gettext_lazy("La coordination a écarté ce jumelage."),
    "not_scored": gettext_lazy("La coordination a écarté ce jumelage."),
}


@dataclass
class Board:
    program: Program
    setting: SelfMatching | None
    people: Roster
    inst: Instance
    weights: dict[str, float]
    fit_kind: str
    # Mentor side → mentee sides in its active groups; mentee sides in any active group.
    in_groups: dict[str, list[str]] = field(default_factory=dict)
    grouped: set[str] = field(default_factory=set)
    live: list[MatchRequest] = field(default_factory=list)
    declined: set[tuple[str, str]] = field(default_factory=set)

    # --- seats ----------------------------------------------------------------------------

    def capacity(self, mentor_key: str) -> int:
        index = self.inst.mentor_index.get(mentor_key)
        return 0 if index is None else self.inst.capacity(self.inst.mentors[index])

    def holding(self, mentor_key: str) -> list[str]:
        """Mentee sides that hold a seat of the mentor side: in its groups or live requests."""
        live = [r.mentee_key for r in self.live if r.mentor_key == mentor_key]
        return [*self.in_groups.get(mentor_key, []), *live]

    def seats_left(self, mentor_key: str) -> int:
        return max(0, self.capacity(mentor_key) - len(self.holding(mentor_key)))

    def live_of(self, mentee_key: str) -> MatchRequest | None:
        return next((r for r in self.live if r.mentee_key == mentee_key), None)

    # --- why not --------------------------------------------------------------------------

    def closed_reason(self) -> str:
        """Why nobody can ask or answer now, or ""."""
        if self.program.is_closed():
            return _("Ce programme est terminé : les demandes sont fermées.")
        if self.setting is None or not self.setting.is_open:
            return _("La coordination n’a pas ouvert l’auto-jumelage dans ce programme.")
        if not self.setting.is_running():
            when = formats.date_format(
                timezone.localtime(self.setting.closes_at), "DATETIME_FORMAT"
            )
            return _("La date limite des demandes est passée (%(when)s).") % {"when": when}
        return ""

    def blockers(self, mentee_key: str, mentor_key: str) -> list[str]:
        """Every reason the mentee side may not ask the mentor side now, in the reader's
        language; empty when it may."""
        closed = self.closed_reason()
        if closed:
            return [closed]
        i = self.inst.mentee_index.get(mentee_key)
        j = self.inst.mentor_index.get(mentor_key)
        if i is None or j is None:
            return [_("Ce côté ne fait pas partie du programme.")]
        if mentee_key in self.grouped:
            return [_("Vous faites déjà partie d’un groupe de ce programme.")]
        mine = self.live_of(mentee_key)
        if mine is not None:
            return [
                _("Vous avez déjà une demande en cours (à %(name)s) : retirez-la d’abord.")
                % {"name": mine.mentor_label}
            ]
        out = []
        if (mentee_key, mentor_key) in self.declined:
            out.append(_("Ce côté mentor a déjà décliné votre demande."))
        if self.seats_left(mentor_key) <= 0:
            out.append(
                _(
                    "Plus de place : ce côté mentor a déjà toutes ses personnes mentorées, "
                    "demandes en attente comprises."
                )
            )
        out += [str(RULE_REASONS[rule]) for rule in broken_rules(self.inst, j, i)]
        holders = [self.inst.mentee_index[k] for k in self.holding(mentor_key)]
        if class_overflows(self.inst, j, [*holders, i]):
            out.append(
                _(
                    "Ce groupe compte déjà une personne mentorée de votre région : le programme "
                    "réunit des régions différentes."
                )
            )
        return out

    # --- why it fits ----------------------------------------------------------------------

    def fit_words(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
        """For each (mentee side, mentor side): the criteria that weigh most, in words."""
        known = [
            (e, m) for e, m in pairs if e in self.inst.mentee_index and m in self.inst.mentor_index
        ]
        groups = [(self.inst.mentor_index[m], [self.inst.mentee_index[e]]) for e, m in known]
        out: dict[tuple[str, str], list[str]] = {}
        for (e, m), (_score, explanation) in zip(
            known, explain_groups(self.inst, groups) if groups else [], strict=True
        ):
            factors = pair_factors(explanation["pairs"][0], self.weights, fit_kind=self.fit_kind)
            out[(e, m)] = [f"{f.label} : {f.words}" for f in principal(factors, 3)]
        return out


def build_board(program: Program) -> Board:
    encoder = get_encoder()
    data, people = build_instance(program, encoder=encoder)
    inst = load_instance(data)
    board = Board(
        program=program,
        setting=SelfMatching.objects.filter(program=program).first(),
        people=people,
        inst=inst,
        weights=weights_of(program),
        fit_kind="lexical" if encoder.name == "lexical" else "semantic",
    )
    for group in standing_groups_of(program):
        if not group.mentor_roles:
            continue
        mentor = people.key_of(group.mentor_roles[0])
        mentees = list(dict.fromkeys(people.key_of(r) for r in group.mentee_roles))
        board.in_groups.setdefault(mentor, []).extend(mentees)
        board.grouped.update(mentees)
    board.live = list(program.match_requests.live())
    board.declined = set(
        program.match_requests.filter(status=MatchRequest.Status.DECLINED).values_list(
            "mentee_key", "mentor_key"
        )
    )
    return board


# --- Whose side is it -------------------------------------------------------------------------


def own_side(program: Program, user: Any, kind: str, people: Roster) -> Side | None:
    """The user's mentee side ("mentee") or mentor side ("mentor") in the program."""
    role = program.roles.of_user(user).filter(kind=kind).first()
    if role is None:
        return None
    key = people.key_of(role)
    sides = people.mentees if kind == Role.Kind.MENTEE else people.mentors
    return next((s for s in sides if s.key == key), None)


def seats_text(n: int) -> str:
    if n == 0:
        return _("complet")
    return ngettext("%(n)d place libre", "%(n)d places libres", n) % {"n": n}
