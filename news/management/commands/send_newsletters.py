from django.core.management.base import BaseCommand

from news.services.sending import send_due_issues
from news.services.subscriptions import queue_waiting_confirmations


class Command(BaseCommand):
    help = (
        "Envoie les lettres d'information programmées dont l'heure est venue, et reprend celles "
        "dont l'envoi s'est interrompu, au destinataire près\u00a0; relance l'envoi des demandes "
        "de confirmation des adresses importées qui attendent (cron, avec les tâches "
        "fréquentes)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--here",
            action="store_true",
            help="Envoyer dans ce processus plutôt que par le processus des tâches (db_worker).",
        )

    def handle(self, *args, here=False, **options):
        for issue_id, outcome in send_due_issues(here=here):
            self.stdout.write(f"Lettre {issue_id}\u00a0: {outcome}")
        if queue_waiting_confirmations():
            self.stdout.write("Demandes de confirmation des adresses importées\u00a0: relancées")
