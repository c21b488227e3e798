"""Who sees which part of a profile: one function, used by every page, export, search and count
of the directory, so that a hidden part cannot leak through one of them and not the others.

A viewer is an audience level plus the memberships they edit. The network's staff see every
part (level PRIVATE); a member's coordinator sees every part of their own organization and, of
the others, what is open to the network; funders and the steering committee see what members
see (the measurement funder rule: aggregates and what organizations chose to show); the public
page sees what is public.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import AUDIENCE_RANK, DEFAULT_VISIBILITY, Audience, Profile


@dataclass(frozen=True)
class Viewer:
    level: str  # an Audience: the widest of the parts this viewer may read
    own: frozenset[int] = field(default_factory=frozenset)  # member pks they edit

    @property
    def is_staff(self) -> bool:
        return self.level == Audience.PRIVATE


STAFF = Viewer(Audience.PRIVATE)
PUBLIC = Viewer(Audience.PUBLIC)


def audience_of(profile: Profile | None, part: str) -> str:
    if profile is None:
        return DEFAULT_VISIBILITY[part]
    return profile.audience_of(part)


def sees(viewer: Viewer, *, member_id: int, profile: Profile | None, part: str) -> bool:
    if viewer.is_staff or member_id in viewer.own:
        return True
    return AUDIENCE_RANK[audience_of(profile, part)] >= AUDIENCE_RANK[viewer.level]
