"""The import preview's differences without inline styles.

import-export writes each changed value as `<ins style="background:#e6ffe6;">` and
`<del style="background:#ffe6e6;">` (diff-match-patch's pretty HTML): the site's Content
Security Policy refuses style attributes, so each one logged an error in the browser's
console; import-export's own stylesheet (import_export/import.css, light and dark) colours
`table.import-preview td ins` and `del` already. The values are escaped by diff-match-patch
before they are wrapped: these two attributes can only be its own."""

from django import template
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

INLINE_STYLES = (' style="background:#e6ffe6;"', ' style="background:#ffe6e6;"')


@register.filter
def without_inline_styles(html):
    if not isinstance(html, SafeData):
        return html  # escaped by the template as any value
    for style in INLINE_STYLES:
        html = html.replace(style, "")
    return mark_safe(html)
