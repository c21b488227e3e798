from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def user_in_network(user) -> bool:
    """Whether the header shows « Réseaux »: to people who hold a role in a network, and to the
    platform's administrator."""
    from maillage.measurement.models import NetworkRole

    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True  # The platform's administrator creates the networks.
    return NetworkRole.objects.filter(person__user=user).exists()


@register.simple_tag
def network_sections(network, user) -> list[dict]:
    """The sections the floors above add to a network's pages (`signals.network_sections`)."""
    from maillage.measurement.models import Network
    from maillage.measurement.signals import network_sections as asked

    items: list[dict] = []
    for _receiver, answer in asked.send(sender=Network, network=network, user=user):
        items.extend(answer or [])
    return items
