"""Apply the retention periods stated on the privacy page. Safe to run daily (cron)."""

from django.core.management.base import BaseCommand

from members.services.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Supprime les demandes refusées ou restées sans réponse après leur délai de conservation "
        "et efface les coordonnées des personnes inactives (durées\u00a0: réglages RETENTION_*)."
    )

    def handle(self, *args, **options):
        report = apply_retention()
        self.stdout.write(
            "\n".join(f"{label}\u00a0: {count}" for label, count in report.counts.items())
        )
