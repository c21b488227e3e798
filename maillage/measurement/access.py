"""Who sees a network: anyone with a role in it; everyone else gets 404 (like programs)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest

from maillage.core.models import Person

from .models import Network, NetworkMember, NetworkRole

Kind = NetworkRole.Kind
ANY = tuple(Kind.values)
STAFF = (Kind.STAFF,)


def load_header_facts(user: Any) -> None:
    """What every signed-in page's header asks of the account, in one query instead of three:
    its person (the name shown), whether it holds a network role (« Réseaux ») and whether it
    may read the audit trail (the privacy officer's menu: Django's `core.view_auditentry`, its
    own or its groups'). Kept on the account for the request, where `user.person`,
    `user_in_network` and `privacy.access.has_trail_permission` find them."""
    if not getattr(user, "is_authenticated", False) or hasattr(user, "_in_network"):
        return
    trail = Permission.objects.filter(
        Q(user=user.pk) | Q(group__user=user.pk),
        content_type__app_label="core",
        codename="view_auditentry",
    )
    person = (
        Person._base_manager.filter(user=user.pk)
        .annotate(
            in_network=Exists(NetworkRole.objects.filter(person=OuterRef("pk"))),
            trail=Exists(trail),
        )
        .first()
    )
    if person is None:  # an operator's account without a person: no network role
        user._in_network = False
        return
    related = get_user_model().person.related
    if not related.is_cached(user):  # the view's own copy, if it has one, stays
        related.set_cached_value(user, person)
    user._in_network = person.in_network
    if not hasattr(user, "_trail_permission") and not hasattr(user, "_perm_cache"):
        user._trail_permission = person.trail


def network_roles_of(user: Any) -> list[NetworkRole]:
    """The account's roles in networks, each with its network and member organization, loaded
    once per request and kept on the account (as `privacy.access.has_trail_permission` keeps its
    answer): « Mes programmes » asks for them from six apps and the header once more. By
    network name, then kind."""
    if not getattr(user, "is_authenticated", False):
        return []
    roles = getattr(user, "_network_roles", None)
    if roles is None:
        roles = list(
            NetworkRole.objects.filter(person__user=user)
            .select_related("network", "member__organization")
            .order_by("network__name", "network_id", "kind", "pk")
        )
        user._network_roles = roles
    return roles


def networks_of(user: Any, *kinds: str) -> list[Network]:
    """`Network.objects.of_user(user, *kinds)` by name, from the roles loaded once
    (`network_roles_of`). Not for the platform's administrator, who sees every network: the
    callers leave them out."""
    networks: dict[int, Network] = {}
    for role in network_roles_of(user):
        if not kinds or role.kind in kinds:
            networks.setdefault(role.network_id, role.network)
    return list(networks.values())


def get_network(request: HttpRequest, pk: int, kinds: tuple[str, ...] = ANY) -> Network:
    network = Network.objects.of_user(request.user, *kinds).filter(pk=pk).first()
    if network is None:
        raise Http404
    if request.user.is_superuser:
        request.network_roles = set(Kind.values)
    else:
        request.network_roles = set(
            network.roles.filter(person__user=request.user).values_list("kind", flat=True)
        )
    return network


def own_members(request: HttpRequest, network: Network):
    """The members whose figures this person may enter: all for staff, their own otherwise."""
    if Kind.STAFF in request.network_roles:
        return network.members.select_related("organization")
    return NetworkMember.objects.filter(
        coordinators__person__user=request.user,
        coordinators__kind=Kind.MEMBER,
        network=network,
    ).select_related("organization")
