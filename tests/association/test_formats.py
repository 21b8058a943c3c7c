"""French formatting: the filters pages, calendars and feeds use."""

import datetime
import re

import pytest
from django.template import Context, Template

from association import formats

NBSP, NNBSP = "\u00a0", "\u202f"


def plain(text: str) -> str:
    """The text with no-break spaces shown as ordinary ones, to compare with what people read."""
    return text.replace(NBSP, " ").replace(NNBSP, " ")


@pytest.mark.parametrize(
    ("date", "start", "end", "expected"),
    [
        (datetime.date(2025, 9, 12), datetime.time(9), None, "vendredi 12 septembre 2025 à 9 h"),
        (datetime.date(2025, 10, 7), datetime.time(14), None, "mardi 7 octobre 2025 à 14 h"),
        (
            datetime.date(2025, 10, 14),
            datetime.time(8, 30),
            datetime.time(10),
            "mardi 14 octobre 2025, de 8 h 30 à 10 h",
        ),
        (datetime.date(2025, 10, 1), None, None, "mercredi 1er octobre 2025"),
        (datetime.date(2025, 6, 18), None, None, "mercredi 18 juin 2025"),
    ],
)
def test_when_reads_like_the_newsletter(date, start, end, expected):
    assert plain(formats.when(date, start, end)) == expected


def test_hours_are_written_with_h_and_never_with_a_colon():
    assert plain(formats.hour(datetime.time(8, 30))) == "8 h 30"
    assert plain(formats.hour(datetime.time(9, 0))) == "9 h"
    assert plain(formats.hour(datetime.time(14, 5))) == "14 h 05"
    # The number and its unit never part at the end of a line.
    assert formats.hour(datetime.time(8, 30)) == f"8{NBSP}h{NBSP}30"


def test_first_of_the_month_is_1er():
    assert plain(formats.day_month(datetime.date(2025, 10, 1))) == "1er octobre"
    assert plain(formats.day_month(datetime.date(2025, 10, 2))) == "2 octobre"


def test_month_names_and_partial_dates():
    assert formats.month_year(datetime.date(2025, 8, 1)) == "août 2025"
    assert formats.partial_date(datetime.date(2025, 7, 1), "month") == "juillet 2025"
    assert formats.partial_date(datetime.date(2025, 7, 1), "year") == "2025"
    assert plain(formats.partial_date(datetime.date(2024, 12, 12), "day")) == "12 décembre 2024"


@pytest.mark.parametrize(
    "raw", ["0321207944", "03 21 20 79 44", "03.21.20.79.44", "+33 3 21 20 79 44", "0033321207944"]
)
def test_french_phone_numbers_are_grouped_by_two_and_linked_internationally(raw):
    assert plain(formats.phone(raw)) == "03 21 20 79 44"
    assert formats.phone(raw) == NBSP.join(["03", "21", "20", "79", "44"])
    assert formats.phone_uri(raw) == "tel:+33321207944"


@pytest.mark.parametrize(
    "raw",
    ["0680596340", "06.80.59.63.40", " 06 80 59 63 40 ", "+33680596340", "0033680596340"],
)
def test_a_french_number_is_stored_grouped_by_two_with_plain_spaces(raw):
    assert formats.normalize_phone(raw) == "06 80 59 63 40"


def test_another_number_is_stored_as_typed_with_its_spaces_tidied():
    assert formats.normalize_phone("  +32 2  555 12 34 ") == "+32 2 555 12 34"


def test_a_number_that_is_not_french_is_left_as_written():
    assert formats.phone("+32 2 555 12 34") == "+32 2 555 12 34"
    assert formats.phone_uri("+32 2 555 12 34") == "tel:+3225551234"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Objectif atteint !", f"Objectif atteint{NNBSP}!"),
        ("Objectif atteint!", f"Objectif atteint{NNBSP}!"),
        ("Une idée ? Un projet ?", f"Une idée{NNBSP}? Un projet{NNBSP}?"),
        ("Bilan : 34 réunions ; 16 projets", f"Bilan{NBSP}: 34 réunions{NNBSP}; 16 projets"),
        ("le « garage solidaire »", f"le «{NBSP}garage solidaire{NBSP}»"),
        ("le «garage»", f"le «{NBSP}garage{NBSP}»"),
        # Left alone: hours, web addresses, query strings, entities, already correct text.
        ("à 14:00", "à 14:00"),
        ("https://ptce.example/?page=2", "https://ptce.example/?page=2"),
        ("Tom &amp; Léa", "Tom &amp; Léa"),
        (f"Bilan{NBSP}: fait", f"Bilan{NBSP}: fait"),
    ],
)
def test_typography_puts_no_break_spaces_where_french_wants_them(text, expected):
    assert formats.typography(text) == expected


def render(template: str, **context) -> str:
    return Template("{% load french %}" + template).render(Context(context))


def test_template_filters():
    meeting = type(
        "M",
        (),
        {"date": datetime.date(2025, 9, 12), "start_time": datetime.time(9), "end_time": None},
    )()
    assert plain(render("{{ m|when }}", m=meeting)) == "vendredi 12 septembre 2025 à 9 h"
    assert plain(render("{{ d|long_date }}", d=datetime.date(2025, 10, 1))) == (
        "mercredi 1er octobre 2025"
    )
    assert plain(render("{{ t|hour }}", t=datetime.time(8, 30))) == "8 h 30"
    assert plain(render("{{ p|phone }}", p="0321207944")) == "03 21 20 79 44"
    assert render("{{ p|tel }}", p="03 21 20 79 44") == "tel:+33321207944"
    assert render("{{ u|webcal }}", u="https://x.example/a.ics") == "webcal://x.example/a.ics"
    assert render("{{ u|webcal }}", u="http://x.example/a.ics") == "webcal://x.example/a.ics"


def test_typo_filter_output_is_still_escaped():
    assert render("{{ t|typo }}", t="<b>Vite</b> !") == f"&lt;b&gt;Vite&lt;/b&gt;{NNBSP}!"


def test_jsonld_cannot_close_its_script_element():
    out = render("{{ d|jsonld }}", d={"name": "</script><script>alert(1)</script>"})
    assert "</script>" not in out
    assert "\\u003C/script\\u003E" in out


MIXED = "chef·fe·s de file"


@pytest.mark.parametrize(
    ("titles", "expected"),
    [
        (["cheffe de file"], "cheffe de file"),
        (["chef de file"], "chef de file"),
        (["chef de file", "chef de file"], "chefs de file"),
        (["cheffe de file", "cheffe de file "], "cheffes de file"),
        (["chef de file", "cheffe de file"], MIXED),
        (["référente"], "référente"),
        (["référente", "référente"], "référentes"),
        (["animateurs relais", "animateurs relais"], "animateurs relais"),
        ([], MIXED),
    ],
)
def test_a_heading_agrees_with_the_titles_below_it(titles, expected):
    assert formats.titles_heading(titles, MIXED) == expected


def test_titles_heading_filter():
    class Lead:
        def __init__(self, title):
            self.title = title

    template = Template('{% load french %}{{ leads|titles_heading:"chef·fe·s de file"|capfirst }}')
    leads = [Lead("cheffe de file"), Lead("cheffe de file")]
    assert template.render(Context({"leads": leads})) == "Cheffes de file"


PUBLIC_TEMPLATES = [
    "templates/*.html",
    "templates/includes/*.html",
    "ptce/templates/ptce/*.html",
    "groups/templates/groups/*.html",
    "events/templates/events/*.html",
    "members/templates/members/structure_*.html",
]


def test_public_templates_space_punctuation_like_the_typography_filter():
    """What `formats.typography` writes: a no-break space before « : », a narrow one before
    « ; ! ? ». Hand-written entities in the templates must agree."""
    from pathlib import Path

    from django.conf import settings

    narrow = r"(&#8239;|&#x202f;|\u202f)"
    wide = r"(&nbsp;|&#160;|\u00a0)"
    wrong = re.compile(rf"{narrow}:|{wide}[;!?]")
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)!r}"
        for pattern in PUBLIC_TEMPLATES
        for path in sorted(Path(settings.BASE_DIR).glob(pattern))
        for match in wrong.finditer(path.read_text())
    ]
    assert found == []
    assert formats.typography("a : b ; c") == f"a{formats.NBSP}: b{formats.NNBSP}; c"


def test_a_line_never_ends_on_the_a_before_an_hour():
    # « mardi 7 octobre 2025 à / 14 h » on a phone: « à » keeps its hour on its line.
    assert formats.time_range(datetime.time(14)) == f"à{NBSP}14{NBSP}h"
    assert formats.time_range(datetime.time(9), datetime.time(11, 30)) == (
        f"de{NBSP}9{NBSP}h à{NBSP}11{NBSP}h{NBSP}30"
    )
