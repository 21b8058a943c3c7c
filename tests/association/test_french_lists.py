import pytest
from django.template import Context, Template

from association.formats import enumerate_in_french

N = "\u00a0"


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], ""),
        (["A"], "A"),
        (["A", "B"], "A et B"),
        (["A", "B", "C"], "A, B et C"),
    ],
)
def test_enumerate_in_french(items, expected):
    assert enumerate_in_french(items) == expected


def test_enumerate_in_french_quotes_names_that_hold_commas():
    names = ["Mobilité, transport", "Alimentation durable"]

    assert enumerate_in_french(names, quoted=True) == (
        f"«{N}Mobilité, transport{N}» et «{N}Alimentation durable{N}»"
    )


def test_french_list_filter_escapes_in_html_only():
    template = '{% load french %}{{ items|french_list:"quoted" }}'
    items = ["<b>A</b>", "B & C"]

    html = Template(template).render(Context({"items": items}))
    text = Template("{% autoescape off %}" + template + "{% endautoescape %}").render(
        Context({"items": items})
    )

    assert html == f"«{N}&lt;b&gt;A&lt;/b&gt;{N}» et «{N}B &amp; C{N}»"
    assert text == f"«{N}<b>A</b>{N}» et «{N}B & C{N}»"
