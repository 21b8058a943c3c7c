"""Forms of the public pages: a guest's answer to a meeting, and the working-group filter of
the pages that list by group (the agenda, the structures directory)."""

from django import forms

from association.forms import HoneypotField
from association.validators import SingleLineValidator
from groups.models import MeetingAnswer, WorkingGroup


class GroupFilterField(forms.ModelChoiceField):
    """« Groupe de travail » in a page's GET filters: a group named by its slug (so a filtered
    page can be bookmarked), the active groups first in their order, empty for all of them."""

    def __init__(self, **kwargs):
        super().__init__(
            label="Groupe de travail",
            queryset=WorkingGroup.objects.order_by("-is_active", "order", "name").only(
                "pk", "slug", "name"
            ),
            to_field_name="slug",
            required=False,
            empty_label="Tous les groupes",
            **kwargs,
        )


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
