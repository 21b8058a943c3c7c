"""Queue the reminders of upcoming meetings. Run it daily (cron); running it twice is harmless."""

from django.core.management.base import BaseCommand

from association.identity import site_url
from groups.services.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "Envoie les rappels des réunions à venir (par défaut 7 jours et 1 jour avant) à ceux qui "
        "viennent, hésitent ou n'ont pas répondu. Sans risque de doublon : à lancer chaque jour."
    )

    def handle(self, *args, **options):
        outcome = send_due_reminders(site_url=site_url())
        self.stdout.write(
            f"Rappels mis dans la file d'envoi\u00a0: {outcome.sent}\n"
            f"Déjà envoyés par un autre passage\u00a0: {outcome.already_sent}"
        )
