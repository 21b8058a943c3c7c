"""Queue again the mails a stopped worker left half-sent. Run it every few minutes (cron)."""

from django.core.management.base import BaseCommand

from outbox.services import requeue_stale_mails


class Command(BaseCommand):
    help = (
        "Remet dans la file d'envoi les e-mails dont l'envoi a été interrompu (processus "
        "d'envoi arrêté depuis plus de OUTGOING_MAIL_CLAIM_TIMEOUT secondes) et ceux en attente "
        "dont la tâche s'est perdue. À lancer toutes les cinq minutes (cron)."
    )

    def handle(self, *args, **options):
        outcome = requeue_stale_mails()
        self.stdout.write(
            f"E-mails dont l'envoi avait été interrompu, remis dans la file\u00a0: "
            f"{outcome.interrupted}\n"
            f"E-mails en attente depuis trop longtemps, remis dans la file\u00a0: "
            f"{outcome.overdue}"
        )
