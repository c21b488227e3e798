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
