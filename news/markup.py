"""The articles' and the newsletter's text: Markdown, rendered by `markdown` and sanitised by
`nh3` (the Rust `ammonia` sanitiser), so that no raw HTML typed in the admin reaches a page or a
mail. Markdown's own HTML pass-through is switched off too: a `<script>` typed in a body comes
out as text, not as an element that nh3 would then have to catch."""

import re

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "h2", "h3", "h4", "hr",
    "code", "pre",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


class _NoRawHtml(markdown.Extension):
    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def render_markdown(text: str) -> SafeString:
    """`text` (Markdown) as HTML safe to put in a page: only paragraphs, emphasis, lists,
    quotes, subheadings and links (http, https, mailto), each link marked `rel="noopener
    noreferrer"`."""
    rendered = markdown.markdown(text or "", extensions=[_NoRawHtml()], output_format="html")
    cleaned = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)


LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
EMPHASIS = re.compile(r"\*\*|__|(?<=\S)\*|\*(?=\S)")


def plain_text(text: str) -> str:
    """The Markdown as a plain-text mail reads it: Markdown is readable as it is, so only the
    links become « text (address) » and the emphasis marks go; lists and paragraphs stay."""
    text = LINK.sub(lambda m: f"{m[1]} ({m[2]})", text or "")
    return EMPHASIS.sub("", text).strip()
