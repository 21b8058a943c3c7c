"""Apply the retention periods stated on the privacy page. Safe to run daily (cron)."""

from django.core.management.base import BaseCommand

from members.services import apply_retention


class Command(BaseCommand):
    help = (
        "Supprime les demandes refusées ou restées sans réponse après leur délai de conservation "
        "et efface les coordonnées des personnes inactives (durées\u00a0: réglages RETENTION_*)."
    )

    def handle(self, *args, **options):
        report = apply_retention()
        self.stdout.write(
            f"Demandes refusées supprimées\u00a0: {report.declined_deleted}\n"
            f"Demandes restées sans réponse supprimées\u00a0: {report.unhandled_deleted}\n"
            f"Personnes inactives dont les coordonnées ont été effacées\u00a0: "
            f"{report.people_anonymised}"
        )
