"""The public registration form: a name and an address, nothing else (no account)."""

from django import forms

from association.forms import HoneypotField
from association.validators import SingleLineValidator


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label="Vos prénom et nom",
        max_length=200,
        validators=[SingleLineValidator("Vos prénom et nom")],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Votre adresse e-mail",
        max_length=254,
        help_text="Vous y recevrez le lien qui confirme votre inscription.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = HoneypotField()
