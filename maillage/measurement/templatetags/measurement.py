from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def user_in_network(user) -> bool:
    """Whether the header shows « Réseaux »: only to people who hold a role in a network."""
    from maillage.measurement.models import NetworkRole

    if not getattr(user, "is_authenticated", False):
        return False
    return NetworkRole.objects.filter(person__user=user).exists()
