"""Declarations made for matching, as the engine reads them, and their effect in words.

A side's `attributes` say which groups it belongs to and its `preferences` which groups it wishes
the other side to belong to, one key per group ("inclusion-12": "oui"); the engine's
« Préférences déclarées » criterion is the share of the stated preferences the other side meets
(`jumelage.scoring`). Only declarations made for matching, under a valid consent, go in.

Who reads what (the decision the brief asked for):
- the coordination reads that a declared preference was honoured or not, never which group.
  Naming it (« mentore femme, comme demandé ») would tell the coordination two things nobody
  consented to show it: the mentee's wish and the mentor's own declaration. The consent the
  person gives says so in its words (`services.consent_text`). The coordination still needs to
  know that a preference weighed, to understand a proposal and explain it when asked;
- the person who made a wish reads it named on their own page (« Pourquoi ce jumelage »): they
  wrote it. That it was honoured tells them the other side declared the group: the matching
  consent says so before anyone declares, since honouring the wish is the point;
- the run's inputs downloaded by the coordination leave these keys out (`strip`).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from maillage.programs.models import Program

from .models import Declaration, InclusionGroup, Purpose

PREFIX = "inclusion-"
YES = "oui"


def token(group_id: int) -> str:
    return f"{PREFIX}{group_id}"


def group_id_of(key: str) -> int | None:
    rest = key[len(PREFIX) :] if key.startswith(PREFIX) else ""
    return int(rest) if rest.isdigit() else None


def declared_for_matching(program: Program) -> dict[int, tuple[set[int], set[int]]]:
    """{person id: (groups they belong to, groups they wish for)}, matching purpose only."""
    out: dict[int, tuple[set[int], set[int]]] = {}
    for person_id, group_id, kind in Declaration.objects.filter(
        program=program,
        purpose=Purpose.MATCHING,
        consent__withdrawn_at__isnull=True,
    ).values_list("person_id", "group_id", "kind"):
        member, wish = out.setdefault(person_id, (set(), set()))
        (member if kind == Declaration.Kind.MEMBER else wish).add(group_id)
    return out


def side_inputs(
    declared: dict[int, tuple[set[int], set[int]]], person_ids: list[int]
) -> dict[str, dict[str, str]]:
    """What one side (a person, or a team of people) adds to its engine data: a team belongs
    to a group when one of its people declared it, and wishes what its people wish."""
    member: set[int] = set()
    wish: set[int] = set()
    for pk in person_ids:
        m, w = declared.get(pk, (set(), set()))
        member |= m
        wish |= w
    out: dict[str, dict[str, str]] = {}
    if member:
        out["attributes"] = {token(g): YES for g in sorted(member)}
    if wish:
        out["preferences"] = {token(g): YES for g in sorted(wish)}
    return out


def strip(data: dict[str, Any]) -> dict[str, Any]:
    """A participant's engine data without any declaration (for a file, or after a withdrawal)."""
    out = dict(data)
    for field in ("attributes", "preferences"):
        kept = {k: v for k, v in (data.get(field) or {}).items() if not k.startswith(PREFIX)}
        if kept:
            out[field] = kept
        else:
            out.pop(field, None)
    return out


def _met(wishes: dict[str, Any], other: dict[str, Any]) -> tuple[int, int]:
    stated = [k for k in wishes if k.startswith(PREFIX)]
    return len(stated), sum(1 for k in stated if k in other)


def preference_words(mentor: dict[str, Any], mentee: dict[str, Any]) -> list[str]:
    """For the coordination: whether each side's declared preferences were honoured in this
    pair, in words, never naming a group (see the module's docstring)."""
    out = []
    for who, wishes, other in (
        ("mentee", mentee.get("preferences") or {}, mentor.get("attributes") or {}),
        ("mentor", mentor.get("preferences") or {}, mentee.get("attributes") or {}),
    ):
        stated, met = _met(wishes, other)
        if not stated:
            continue
        if met == stated:
            out.append(
                _("Préférence déclarée respectée, comme demandé par la personne mentorée.")
                if who == "mentee"
                else _("Préférence déclarée respectée, comme demandé par le côté mentor.")
            )
        elif met:
            out.append(
                _("Préférences déclarées par la personne mentorée respectées en partie.")
                if who == "mentee"
                else _("Préférences déclarées par le côté mentor respectées en partie.")
            )
        else:
            out.append(
                _("Préférence déclarée par la personne mentorée non respectée dans ce groupe.")
                if who == "mentee"
                else _("Préférence déclarée par le côté mentor non respectée dans ce groupe.")
            )
    return out


def own_preference_words(
    wishes: dict[str, Any], other: dict[str, Any], *, mentee: bool, person: Any
) -> list[str]:
    """For the person who made the wish, on their own page: named, since they wrote it. Only
    the wishes `person` still holds: a team side's wishes are its members' together, and a
    teammate's wish is not theirs to read."""
    if not any(k.startswith(PREFIX) for k in wishes):
        return []  # the usual case: no query at all
    held = set(
        Declaration.objects.filter(
            person=person, purpose=Purpose.MATCHING, kind=Declaration.Kind.WISH
        ).values_list("group_id", flat=True)
    )
    ids = [g for g in (group_id_of(k) for k in wishes) if g is not None and g in held]
    labels = {g.pk: g.label for g in InclusionGroup.objects.filter(pk__in=ids)}
    out = []
    for key in wishes:
        g = group_id_of(key)
        if g is None or g not in labels:
            continue
        if key in other:
            text = (
                _(
                    "Votre préférence déclarée est respectée : côté mentor du groupe « %(g)s », "
                    "comme demandé."
                )
                if mentee
                else _(
                    "Votre préférence déclarée est respectée : personne mentorée du groupe "
                    "« %(g)s », comme demandé."
                )
            )
        else:
            text = _(
                "Votre préférence déclarée (groupe « %(g)s ») n’a pas pu être respectée dans ce "
                "groupe."
            )
        out.append(text % {"g": labels[g]})
    return out
