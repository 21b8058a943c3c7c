"""Whatever a visitor (or a robot) types into the join-us form: never a 500, what they typed
comes back escaped, and each accepted submission is saved exactly once."""

import pytest
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from joining.models import JoinRequest
from tests.conftest import aged_token
from tests.factories import WorkingGroupFactory

JOIN_URL = "/adherer/"

NASTY = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "Robert'); DROP TABLE members_joinrequest;--",
    '=HYPERLINK("http://example.org")',
    "Nul\x00octet",
    "\x00",
    "ligne\r\nBcc: victime@example.org",
    "\u202eesreveR",  # right-to-left override
    "Zoë Ŵ ŉ 李小龍 مرحبا Ελένη Дмитрий 🙂",
    "  ",
    "é" * 300,
]

text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs"]), min_size=1, max_size=5),
    st.text(min_size=250, max_size=6000),  # past every max_length
    st.sampled_from(NASTY),
)
email = st.one_of(st.emails(), text, st.sampled_from(["a@b", "@example.org", "x" * 300]))
choice = st.one_of(st.sampled_from(["person", "structure", "", "company"]), text)


plausible = {
    "first_name": st.sampled_from(["Louise", "Zoë", "Jean-Marie", "李", "Ελένη", "Nadia"]),
    "last_name": st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzéèçÀÂ -'", min_size=1, max_size=30
    ).filter(lambda v: any(c.isalpha() for c in v)),
    "email": st.emails(),
    "phone": st.sampled_from(["", "06 12 34 56 78", "+33 6 12 34 56 78", "0321207944"]),
    "town": st.sampled_from(["", "Carvin", "Hénin-Beaumont", "Oignies"]),
    "message": st.text(min_size=1, max_size=200).filter(str.strip),
    "applicant_kind": st.just("person"),
    "structure_name": st.just(""),
    "structure_kind": st.just(""),
    "groups": st.just("valid"),
}
hostile = {
    "first_name": text,
    "last_name": text,
    "email": email,
    "phone": text,
    "town": text,
    "message": text,
    "applicant_kind": choice,
    "structure_name": text,
    "structure_kind": choice,
    "groups": text,
}


@st.composite
def submissions(draw):
    """Mostly plausible answers with up to three fields replaced by anything at all, so
    that many submissions are accepted and every field meets hostile input."""
    spoiled = draw(st.sets(st.sampled_from(sorted(hostile)), max_size=3))
    data = {name: draw(hostile[name] if name in spoiled else plausible[name]) for name in hostile}
    data.update(dict.fromkeys(draw(st.sets(st.sampled_from(WANTS), min_size=1)), "on"))
    if draw(st.sampled_from([True] * 9 + [False])):  # consent given nine times out of ten
        data["consent"] = "on"
    return data


WANTS = ["wants_membership", "wants_groups", "wants_project"]


@pytest.fixture
def accepted_count():
    return {"n": 0}


@given(submission=submissions())
def test_any_input_never_breaks_the_form(
    client, site_identity, settings, accepted_count, submission
):
    settings.JOIN_RATE_LIMIT = 10_000  # every example comes from the same address
    data = {**submission, "form_token": aged_token(), "website": ""}
    group = data.pop("groups")
    if group == "valid":
        data["groups"] = [str(WorkingGroupFactory().pk)]
    elif group is not None:
        data["groups"] = [group]

    response = client.post(JOIN_URL, data)

    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        accepted_count["n"] += 1
        response = client.get(response["Location"])  # the confirmation shows the name back
        assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    if response.templates[0].name == "joining/join.html":
        for name in ("first_name", "last_name", "town", "structure_name"):
            value = data[name]
            if value.strip() and value.isprintable() and len(value) < 100:
                assert escape(value) in html, value
    assert JoinRequest.objects.count() == accepted_count["n"]


@given(first_name=st.sampled_from(NASTY[:4] + NASTY[8:9]), message=st.sampled_from(NASTY[:4]))
def test_accepted_nasty_input_is_stored_as_typed_and_saved_once(
    client, site_identity, settings, join_data, accepted_count, first_name, message
):
    settings.JOIN_RATE_LIMIT = 10_000
    data = join_data(first_name=first_name, message=message)

    first = client.post(JOIN_URL, data)
    second = client.post(JOIN_URL, data)  # the same form sent twice

    assert first.status_code == second.status_code == 302
    accepted_count["n"] += 1
    assert JoinRequest.objects.count() == accepted_count["n"]
    saved = JoinRequest.objects.get(form_token=data["form_token"])
    assert saved.first_name == first_name.strip()
    assert saved.message == message.strip()
