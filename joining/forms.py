"""Forms of the member file: the public join-us form and the coordinator's decisions."""

import re

from django import forms
from django.core.exceptions import ValidationError

from association.formats import normalize_phone
from association.forms import HoneypotField
from association.validators import (
    SingleLineValidator,
    single_spaces,
    validate_text,
)
from groups.models import WorkingGroup
from joining.models import JoinRequest
from members.models import Person, Structure
from members.services.names import tidy_first_name, tidy_last_name

ONE_LINE_FIELDS = ("first_name", "last_name", "email", "phone", "structure_name", "town")


def validate_has_letter(value: str) -> None:
    if value and not any(c.isalpha() for c in value):
        raise ValidationError("Écrivez-le en lettres.", code="no_letter")


PHONE_ALLOWED = re.compile(r"^[0-9+().\s-]+$")


def clean_phone_value(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    if not PHONE_ALLOWED.match(value) or not 9 <= len(digits) <= 15:
        raise ValidationError(
            "Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78.",
            code="invalid_phone",
        )
    return normalize_phone(value)


class JoinRequestForm(forms.ModelForm):
    """The public join-us form. Spam checks (token, honeypot, rate limit) are the view's: they
    decide whether the form is looked at at all."""

    consent = forms.BooleanField(
        label="J'accepte que l'association utilise ces informations pour répondre à ma "
        "demande et me recontacter.",
        error_messages={
            "required": "Cochez cette case pour que nous puissions traiter votre demande."
        },
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    website = HoneypotField()

    class Meta:
        model = JoinRequest
        fields = [
            "applicant_kind",
            "wants_membership",
            "wants_groups",
            "wants_project",
            "wants_associate",
            "first_name",
            "last_name",
            "email",
            "phone",
            "structure_name",
            "structure_kind",
            "town",
            "groups",
            "message",
        ]
        labels = {
            "applicant_kind": "Vous êtes",
            "wants_membership": "Devenir membre de l'association",
            "wants_groups": "Participer à un ou plusieurs groupes de travail",
            "wants_project": "Proposer un projet ou une idée",
            "wants_associate": "Devenir associée de la SCIC (entrer au capital de la coopérative)",
            "first_name": "Prénom",
            "last_name": "Nom",
            "email": "Adresse e-mail",
            "phone": "Téléphone (facultatif)",
            "structure_name": "Nom de la structure",
            "structure_kind": "Type de structure",
            "town": "Commune (facultatif)",
            "groups": "Les groupes de travail qui vous intéressent",
            "message": "Votre message",
        }
        help_texts = {
            "email": "Nous vous répondrons à cette adresse.",
            "structure_name": "Association, entreprise, collectivité, établissement…",
            "message": "Votre projet, votre idée, vos questions\u00a0: en quelques lignes. "
            "Obligatoire si vous proposez un projet.",
        }
        widgets = {
            "applicant_kind": forms.RadioSelect,
            "groups": forms.CheckboxSelectMultiple,
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "structure_name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "town": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "message": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {
            "first_name": {"required": "Indiquez votre prénom."},
            "last_name": {"required": "Indiquez votre nom."},
            "email": {
                "required": "Indiquez votre adresse e-mail, pour que nous puissions vous "
                "répondre.",
                "invalid": "Saisissez une adresse e-mail valide, par exemple "
                "prenom.nom@exemple.fr.",
            },
            "applicant_kind": {
                "required": "Dites-nous si vous écrivez pour vous-même ou pour une structure.",
                "invalid_choice": (
                    "Choisissez «\u00a0un particulier\u00a0» ou «\u00a0une structure\u00a0»."
                ),
            },
            "groups": {"invalid_choice": "Ce groupe de travail n'est plus proposé."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = WorkingGroup.objects.active()
        self.fields["structure_kind"].choices = [("", "Choisissez…"), *Structure.Kind.choices]
        for name in ONE_LINE_FIELDS:
            field = self.fields[name]
            field.validators.append(SingleLineValidator(field_label=field.label))
        for name in ("first_name", "last_name", "structure_name"):
            self.fields[name].validators.append(validate_has_letter)
        self.fields["message"].validators.append(validate_text)
        self.fields["website"].validators.append(validate_text)

    @property
    def has_active_groups(self) -> bool:
        return self.fields["groups"].queryset.exists()

    def clean_phone(self):
        return clean_phone_value(self.cleaned_data["phone"])

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean(self):
        cleaned = super().clean()
        for name in ONE_LINE_FIELDS:
            if cleaned.get(name):
                cleaned[name] = single_spaces(cleaned[name])
        groups = cleaned.get("groups")
        if groups:
            # Choosing groups says what the visitor wants, ticked or not.
            cleaned["wants_groups"] = True
        if not any(cleaned.get(f) for f in ("wants_membership", "wants_groups", "wants_project")):
            self.add_error(
                "wants_membership",
                "Cochez au moins une case\u00a0: devenir membre, participer à un groupe ou "
                "proposer un projet.",
            )
        if cleaned.get("wants_groups") and not groups and self.has_active_groups:
            self.add_error("groups", "Choisissez au moins un groupe de travail.")
        if (
            cleaned.get("wants_project")
            and not cleaned.get("message")
            and "message" not in (self.errors)
        ):
            self.add_error("message", "Décrivez votre projet ou votre idée en quelques lignes.")
        if cleaned.get("applicant_kind") == JoinRequest.ApplicantKind.STRUCTURE:
            if not cleaned.get("structure_name") and "structure_name" not in self.errors:
                self.add_error("structure_name", "Indiquez le nom de votre structure.")
            if not cleaned.get("structure_kind") and "structure_kind" not in self.errors:
                self.add_error("structure_kind", "Choisissez le type de votre structure.")
        else:
            # A person's request keeps nothing about a structure they did not mean to name.
            cleaned["structure_name"] = ""
            cleaned["structure_kind"] = ""
            cleaned["wants_associate"] = False
        return cleaned

    def request_data(self) -> dict:
        """The cleaned answers, as `submit_join_request` takes them."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["groups"] = list(self.cleaned_data["groups"])
        return data


# What the applicant reads when the coordinator answers a declined request (editable each time).
DECLINE_MESSAGE = (
    "Nous avons bien étudié votre demande et nous ne pouvons pas y donner suite pour le "
    "moment. Merci de l'intérêt que vous portez au pôle\u00a0: n'hésitez pas à répondre à ce "
    "message pour en parler."
)


class DeclineJoinRequestForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus",
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="Gardé avec la demande (et supprimé avec elle après le délai de "
        "conservation). Il n'est pas envoyé au demandeur.",
        error_messages={"required": "Indiquez le motif du refus."},
        validators=[validate_text],
    )
    notify = forms.BooleanField(
        label="Répondre au demandeur par e-mail",
        required=False,
        initial=True,
        help_text="Le message ci-dessous, signé du nom de l'association\u00a0; le demandeur peut "
        "y répondre.",
    )
    message = forms.CharField(
        label="Message au demandeur",
        required=False,
        initial=DECLINE_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        validators=[validate_text],
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("notify") and not cleaned.get("message", "").strip():
            self.add_error("message", "Écrivez le message au demandeur, ou ne lui répondez pas.")
        return cleaned


NEW = "new"


class AcceptJoinRequestForm(forms.Form):
    """The coordinator's choice, for the person and the structure: link to one of the existing
    matches or create a new record. With matches, nothing is chosen for them."""

    person_choice = forms.ChoiceField(label="Personne", widget=forms.RadioSelect)
    structure_choice = forms.ChoiceField(label="Structure", widget=forms.RadioSelect)

    def __init__(self, *args, join_request: JoinRequest, matches, **kwargs):
        super().__init__(*args, **kwargs)
        self.join_request = join_request
        self.matches = matches
        self.fields["person_choice"].choices = [
            *((str(p.pk), _person_label(p)) for p in matches.people),
            (NEW, _new_person_label(join_request)),
        ]
        self.fields["person_choice"].error_messages["required"] = (
            "Des personnes existantes ressemblent au demandeur\u00a0: choisissez laquelle lier, "
            "ou créez-en une nouvelle."
        )
        if not matches.people:
            self.fields["person_choice"].initial = NEW
        if join_request.is_structure:
            self.fields["structure_choice"].choices = [
                *((str(s.pk), _structure_label(s)) for s in matches.structures),
                (NEW, f"Créer une nouvelle structure\u00a0: {join_request.structure_name}"),
            ]
            self.fields["structure_choice"].error_messages["required"] = (
                "Des structures existantes ressemblent à celle du demandeur\u00a0: choisissez "
                "laquelle lier, ou créez-en une nouvelle."
            )
            if not matches.structures:
                self.fields["structure_choice"].initial = NEW
        else:
            del self.fields["structure_choice"]

    def chosen_person(self) -> Person | None:
        choice = self.cleaned_data["person_choice"]
        return None if choice == NEW else self.matches.person_by_pk(int(choice))

    def chosen_structure(self) -> Structure | None:
        choice = self.cleaned_data.get("structure_choice", NEW)
        return None if choice == NEW else self.matches.structure_by_pk(int(choice))


def _new_person_label(join_request: JoinRequest) -> str:
    """The name the new record will carry, tidied; what the visitor typed, if different."""
    new = Person(
        first_name=tidy_first_name(join_request.first_name),
        last_name=tidy_last_name(join_request.last_name),
    )
    label = f"Créer une nouvelle personne\u00a0: {new.full_name}"
    typed = " ".join(f"{join_request.first_name} {join_request.last_name}".split())
    if typed != f"{new.first_name} {new.last_name}":
        label += f" (saisi\u00a0: «\u00a0{typed}\u00a0»)"
    return label


def _person_label(person: Person) -> str:
    details = [d for d in (person.email, person.structure and person.structure.name) if d]
    suffix = f" ({', '.join(details)})" if details else ""
    return f"Lier à la personne existante\u00a0: {person.full_name}{suffix}"


def _structure_label(structure: Structure) -> str:
    details = [d for d in (structure.town, structure.email) if d]
    suffix = f" ({', '.join(details)})" if details else ""
    return f"Lier à la structure existante\u00a0: {structure.display_name}{suffix}"
