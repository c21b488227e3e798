from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def user_in_network(user) -> bool:
    """Whether the header shows « Réseaux »: to people who hold a role in a network, and to the
    platform's administrator."""
    from maillage.measurement.access import load_header_facts, network_roles_of

    if not getattr(user, "is_authenticated", False):
        return False
    if hasattr(user, "_network_roles"):  # « Mes programmes » loaded them already
        return user.is_superuser or bool(network_roles_of(user))
    # The first of the header's questions: the person and the audit permission come with it.
    load_header_facts(user)
    return user.is_superuser or user._in_network  # the administrator creates the networks


@register.simple_tag(takes_context=True)
def network_sections(context, network) -> list[dict[str, str]]:
    """The pages of this network that the apps above offer this user (signals.network_sections)."""
    from maillage.measurement.models import Network
    from maillage.measurement.signals import network_sections as asked

    request = context.get("request")
    if request is None:
        return []
    roles = getattr(request, "network_roles", set())
    items: list[dict[str, str]] = []
    for _receiver, answer in asked.send(
        sender=Network, network=network, user=request.user, roles=roles
    ):
        items.extend(answer or [])
    return items
