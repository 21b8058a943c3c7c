"""The honeypot field of the public forms (association/forms.py, includes/honeypot.html)."""

from django import forms
from django.template.loader import render_to_string

from association.forms import HoneypotField


class _Form(forms.Form):
    website = HoneypotField()


def test_the_honeypot_is_optional_and_out_of_the_way():
    assert _Form({}).is_valid()
    filled = _Form({"website": "http://spam.example"})
    assert filled.is_valid() and filled.cleaned_data["website"] == "http://spam.example"

    html = render_to_string("includes/honeypot.html", {"field": _Form()["website"]})

    assert '<div class="form-hp" aria-hidden="true">' in html
    assert '<label for="id_website">Ne remplissez pas ce champ</label>' in html
    assert 'autocomplete="off"' in html and 'tabindex="-1"' in html
