from django import forms

from association.forms import HoneypotField


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Votre adresse e-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = HoneypotField()


class ImportSubscribersForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV",
        help_text="Une colonne «\u00a0email\u00a0» et, si l'accord est prouvé, une colonne "
        "«\u00a0consentement\u00a0» qui dit d'où il vient. Sans preuve, l'adresse reçoit la "
        "demande de confirmation, pas la lettre.",
    )
    source_detail = forms.CharField(
        label="Origine de la liste",
        max_length=200,
        help_text="Par exemple «\u00a0liste du logiciel d'envoi, export du 01/12/2026\u00a0».",
    )
