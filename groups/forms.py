"""Forms of the public meeting pages: a guest's answer."""

from django import forms

from association.forms import HoneypotField
from association.validators import SingleLineValidator
from groups.models import MeetingAnswer


class GuestAnswerForm(forms.Form):
    """Someone who was not invited answers from the public meeting page."""

    name = forms.CharField(
        label="Prénom et nom",
        max_length=200,
        validators=[SingleLineValidator(field_label="Prénom et nom")],
    )
    email = forms.EmailField(
        label="E-mail",
        error_messages={
            "invalid": "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."
        },
        help_text="Un lien vous y sera envoyé : votre réponse compte une fois ce lien ouvert et "
        "confirmé.",
    )
    response = forms.ChoiceField(
        label="Votre réponse",
        choices=MeetingAnswer.Response.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choisissez l'une des trois réponses."},
    )
    website = HoneypotField()
