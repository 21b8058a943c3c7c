from django import template

from news.markup import plain_text, render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Markdown typed in the admin, rendered and sanitised (`news.markup`)."""
    return render_markdown(text)


@register.filter
def markdown_text(text):
    """The Markdown's plain text, for a plain-text mail."""
    return plain_text(text)
