"""Forms of the partners' space."""

from django import forms

from association.validators import SingleLineValidator
from members.models import Person


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Votre adresse e-mail",
        max_length=254,
        error_messages={
            "required": "Indiquez votre adresse e-mail.",
            "invalid": "Saisissez une adresse e-mail valide, par exemple prenom.nom@exemple.fr.",
        },
        help_text="Celle à laquelle vous recevez les invitations du PTCE.",
    )


class ContactDetailsForm(forms.ModelForm):
    """What a partner changes themselves: their name, function, phone, and whether their
    contact details may be published. The e-mail signs them in: the coordinator changes it."""

    class Meta:
        model = Person
        fields = ["first_name", "last_name", "title", "phone", "show_contact_publicly"]
        labels = {
            "show_contact_publicly": "J'accepte que mon e-mail et mon téléphone soient publiés "
            "sur le site",
        }
        help_texts = {"show_contact_publicly": "Décochez pour les retirer du site."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "title", "phone"):
            label = str(self.fields[name].label).capitalize()
            self.fields[name].label = label
            self.fields[name].validators.append(SingleLineValidator(field_label=label))


class ErasureRequestForm(forms.Form):
    """The optional word that comes with an erasure request (Django's CharField refuses a NUL
    character, which the database may not store, with a French message)."""

    message = forms.CharField(required=False)

    def clean_message(self) -> str:
        return self.cleaned_data["message"][:2000]
