"""Reading a version of a governance model: what seed 004 found wrong in the Complices' first
model (the checks), and what changed from the previous version (the comparison)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Instance, Link, Version


@dataclass
class Finding:
    code: str  # unlinked, cycle, two_superiors, vacant, expired
    message: str
    instance_ids: list[int] = field(default_factory=list)


def _load(version: Version) -> tuple[list[Instance], list[Link]]:
    instances = list(version.instances.prefetch_related("seats__holders"))
    links = list(version.links.select_related("source", "target"))
    return instances, links


def superiors(links: list[Link]) -> dict[int, list[int]]:
    """For each instance id, the ids of the instances it answers to."""
    above: dict[int, list[int]] = {}
    for link in links:
        pair = link.superior_and_subordinate()
        if pair is not None:
            boss, under = pair
            above.setdefault(under.pk, [])
            if boss.pk not in above[under.pk]:
                above[under.pk].append(boss.pk)
    return above


def _cycles(ids: list[int], above: dict[int, list[int]]) -> list[list[int]]:
    """Each cycle of the 'answers to' graph once, as the list of its instances."""
    found: list[list[int]] = []
    seen_sets: set[frozenset[int]] = set()
    state: dict[int, int] = {}  # 1 visiting, 2 done
    path: list[int] = []

    def visit(node: int) -> None:
        state[node] = 1
        path.append(node)
        for nxt in above.get(node, []):
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt) :]
                key = frozenset(cycle)
                if key not in seen_sets:
                    seen_sets.add(key)
                    found.append(list(cycle))
            elif state.get(nxt) is None:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in ids:
        if state.get(node) is None:
            visit(node)
    return found


def check_version(version: Version, on: date | None = None) -> list[Finding]:
    """Instances with no accountability link, cycles, an instance answering to two others,
    vacant seats, expired terms."""
    on = on or date.today()
    instances, links = _load(version)
    names = {i.pk: i.name for i in instances}
    findings: list[Finding] = []
    linked = {link.source_id for link in links} | {link.target_id for link in links}
    if len(instances) > 1:
        for i in instances:
            if i.pk not in linked:
                findings.append(
                    Finding(
                        "unlinked",
                        _("« %(name)s » n’a aucun lien de redevabilité : à qui rend-elle compte ?")
                        % {"name": i.name},
                        [i.pk],
                    )
                )
    above = superiors(links)
    for cycle in _cycles([i.pk for i in instances], above):
        chain = " → ".join(names[pk] for pk in [*cycle, cycle[0]])
        findings.append(
            Finding(
                "cycle",
                _("Les liens tournent en rond : %(chain)s. Personne n’a le dernier mot.")
                % {"chain": chain},
                cycle,
            )
        )
    for i in instances:
        bosses = above.get(i.pk, [])
        if len(bosses) > 1:
            findings.append(
                Finding(
                    "two_superiors",
                    _("« %(name)s » rend compte à plusieurs instances : %(others)s.")
                    % {"name": i.name, "others": ", ".join(names[b] for b in bosses)},
                    [i.pk],
                )
            )
    for i in instances:
        for seat in i.seats.all():
            vacant = seat.vacant(on)
            if vacant:
                findings.append(
                    Finding(
                        "vacant",
                        ngettext(
                            "« %(name)s » : %(n)s siège vacant (%(kind)s).",
                            "« %(name)s » : %(n)s sièges vacants (%(kind)s).",
                            vacant,
                        )
                        % {"name": i.name, "n": vacant, "kind": seat.get_kind_display()},
                        [i.pk],
                    )
                )
            for holder in seat.holders.all():
                if holder.is_expired(on):
                    findings.append(
                        Finding(
                            "expired",
                            _(
                                "« %(name)s » : le mandat de %(person)s a pris fin le %(day)s ; "
                                "renouvelez-le ou retirez la personne."
                            )
                            % {
                                "name": i.name,
                                "person": holder.name,
                                "day": date_format(holder.ends_on, "j F Y"),
                            },
                            [i.pk],
                        )
                    )
    return findings


@dataclass
class Comparison:
    previous: Version | None
    added: list[Instance] = field(default_factory=list)
    removed: list[Instance] = field(default_factory=list)
    renamed: list[tuple[Instance, Instance]] = field(default_factory=list)  # (before, after)
    links_added: list[Link] = field(default_factory=list)
    links_removed: list[Link] = field(default_factory=list)
    seats_changed: list[tuple[Instance, str]] = field(default_factory=list)  # (after, words)

    @property
    def changed_instance_ids(self) -> set[int]:
        return (
            {i.pk for i in self.added}
            | {after.pk for _before, after in self.renamed}
            | {after.pk for after, _words in self.seats_changed}
        )

    @property
    def added_link_ids(self) -> set[int]:
        return {link.pk for link in self.links_added}

    @property
    def is_empty(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.renamed
            or self.links_added
            or self.links_removed
            or self.seats_changed
        )


def _seats_words(instance: Instance) -> dict[str, int]:
    return {seat.get_kind_display(): seat.count for seat in instance.seats.all()}


def compare_versions(version: Version, previous: Version | None = None) -> Comparison:
    """What changed from the previous version: instances (matched by lineage) added, removed,
    renamed; links added and removed; seats changed."""
    previous = previous if previous is not None else version.previous()
    result = Comparison(previous=previous)
    if previous is None:
        return result
    now, links_now = _load(version)
    before, links_before = _load(previous)
    by_lineage_now = {i.lineage: i for i in now}
    by_lineage_before = {i.lineage: i for i in before}
    for i in now:
        old = by_lineage_before.get(i.lineage)
        if old is None:
            result.added.append(i)
            continue
        if old.name != i.name:
            result.renamed.append((old, i))
        seats_old, seats_new = _seats_words(old), _seats_words(i)
        if seats_old != seats_new:
            parts = []
            for kind in sorted(set(seats_old) | set(seats_new)):
                a, b = seats_old.get(kind, 0), seats_new.get(kind, 0)
                if a != b:
                    parts.append(_("%(kind)s : %(a)s → %(b)s") % {"kind": kind, "a": a, "b": b})
            result.seats_changed.append((i, " ; ".join(parts)))
    result.removed = [i for i in before if i.lineage not in by_lineage_now]

    def key(link: Link) -> tuple:
        return (link.source.lineage, link.target.lineage, link.kind)

    keys_before = {key(link) for link in links_before}
    keys_now = {key(link) for link in links_now}
    result.links_added = [link for link in links_now if key(link) not in keys_before]
    result.links_removed = [link for link in links_before if key(link) not in keys_now]
    return result
