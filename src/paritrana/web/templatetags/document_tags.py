"""Template filters of the PDF documents: the page footer written into the style sheet."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from paritrana.core.text import css_string as _css_string

register = template.Library()


@register.filter(is_safe=False)
def css_string(value: object) -> SafeString:
    """The text of a footer block (rendered without HTML escaping) escaped for a CSS string instead."""
    return mark_safe(_css_string(str(value)))
