from django import forms
from django.core.exceptions import ValidationError

from association.forms import HoneypotField


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Votre adresse e-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = HoneypotField()


# About 50 000 addresses: the import runs in the request, a row at a time.
IMPORT_MAX_BYTES = 2 * 1024 * 1024


class ImportSubscribersForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV",
        help_text="Une colonne «\u00a0email\u00a0» et, si l'accord est prouvé, une colonne "
        "«\u00a0consentement\u00a0» qui dit d'où il vient («\u00a0non\u00a0» ou vide\u00a0: "
        "pas de preuve). Sans preuve, l'adresse reçoit la demande de confirmation, pas la "
        "lettre.",
    )
    source_detail = forms.CharField(
        label="Origine de la liste",
        max_length=200,
        help_text="Par exemple «\u00a0liste du logiciel d'envoi, export du 01/12/2026\u00a0».",
    )

    def clean_file(self) -> str:
        """The file's text: UTF-8, or Windows-1252 as a spreadsheet saves a CSV in French."""
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(
                "Ce fichier est trop gros (plus de 2\u00a0Mo)\u00a0: découpez la liste en "
                "plusieurs fichiers."
            )
        data = upload.read()
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace")
