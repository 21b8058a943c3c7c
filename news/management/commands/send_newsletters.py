from django.core.management.base import BaseCommand

from news.services.sending import send_due_issues


class Command(BaseCommand):
    help = (
        "Envoie les lettres d'information programmées dont l'heure est venue, et reprend celles "
        "dont l'envoi s'est interrompu, au destinataire près (à lancer par cron, chaque minute)."
    )

    def handle(self, *args, **options):
        for issue_id, outcome in send_due_issues():
            self.stdout.write(f"Lettre {issue_id}\u00a0: {outcome}")
