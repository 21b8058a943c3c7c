"""Load the newsletter as demo content. Safe to run again: what exists is left as it is."""

from django.core.management.base import BaseCommand

from ptce.demo.loader import load_newsletter


class Command(BaseCommand):
    help = (
        "Charge le contenu de la lettre d'information (structures, personnes, groupes, réunions, "
        "projets, événements). Crée ce qui manque et ne modifie jamais ce qui existe."
    )

    def handle(self, *args, **options):
        report = load_newsletter()
        self.stdout.write("Lettre d'information chargée.")
        for line in report.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write("Rien de ce qui existait déjà n'a été modifié.")
