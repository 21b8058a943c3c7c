"""Load the newsletter as demo content. Safe to run again: what exists is left as it is.

The demo never mails a real person: the identity's notification address (where join requests
are announced) is `DEMO_NOTIFICATION_EMAIL`, a reserved example address unless the operator
gives theirs, and with a real mail server configured the command asks for `--real-mail`."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ptce.demo.loader import load_newsletter


def sends_real_mail() -> bool:
    return settings.MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend")


class Command(BaseCommand):
    help = (
        "Charge le contenu de la lettre d'information (structures, personnes, groupes, réunions, "
        "projets, événements). Crée ce qui manque et ne modifie jamais ce qui existe."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--real-mail",
            action="store_true",
            help="Charger la démonstration même si un vrai serveur de courrier est configuré "
            "(EMAIL_URL) : les contenus publics portent les adresses de la lettre.",
        )

    def handle(self, *args, real_mail=False, **options):
        if sends_real_mail() and not real_mail:
            raise CommandError(
                "Un vrai serveur de courrier est configuré (EMAIL_URL) : la démonstration "
                "contient les adresses réelles de la lettre d'information. Relancez avec "
                "--real-mail si c'est voulu, ou utilisez EMAIL_URL=consolemail://."
            )
        report = load_newsletter()
        self.stdout.write("Lettre d'information chargée.")
        for line in report.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write("Rien de ce qui existait déjà n'a été modifié.")
        self.stdout.write(
            "Les demandes d'adhésion sont annoncées à "
            f"{settings.DEMO_NOTIFICATION_EMAIL} (DEMO_NOTIFICATION_EMAIL)."
        )
