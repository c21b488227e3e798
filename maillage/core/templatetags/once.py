"""`{% form_token %}`: the hidden field that makes a create form count once (`core.once`).

A builtin of the template engine (settings.TEMPLATES), so a form needs no `{% load %}`: put it
next to `{% csrf_token %}` in every form that creates something."""

from __future__ import annotations

import uuid

from django import template
from django.utils.html import format_html

from maillage.core.once import FIELD

register = template.Library()


@register.simple_tag
def form_token() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4().hex)
