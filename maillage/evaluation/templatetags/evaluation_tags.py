from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_field(form: Any, name: str) -> Any:
    return form[name]


@register.filter
def qlabel(question: Any, language: str) -> str:
    return question.label(language)


@register.filter
def qhelp(question: Any, language: str) -> str:
    return question.help(language)


@register.filter
def display(answer: Any, language: str) -> str:
    return answer.display(language)
