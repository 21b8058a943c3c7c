"""Pieces shared by the public forms (the join form, a guest's answer, an event registration)."""

from django import forms


class HoneypotField(forms.CharField):
    """A field people never see nor hear, and robots fill: whoever fills it is answered as
    usual, but nothing is saved nor sent. Drawn by `includes/honeypot.html`, which hides it from
    sight and from assistive technologies."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Ne remplissez pas ce champ")
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"})
        )
        super().__init__(**kwargs)
