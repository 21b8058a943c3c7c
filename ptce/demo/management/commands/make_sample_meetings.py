from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ptce.demo.samples import make_sample_meetings


class Command(BaseCommand):
    help = (
        "Démonstration : ajoute une série de réunions d'exemple dans le rythme de chaque groupe "
        "actif (toutes les sept semaines pendant un an), en remplaçant les précédentes. "
        "Refuse de fonctionner quand DEBUG est désactivé."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refusé : DEBUG est désactivé. Cette commande crée des réunions d'exemple "
                "pour une démonstration ; elle ne doit pas toucher à une base de production."
            )
        meetings = make_sample_meetings()
        groups = len({meeting.group_id for meeting in meetings})
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(meetings)} réunion(s) d'exemple créée(s) pour {groups} groupe(s) ; "
                "les exemples précédents ont été remplacés."
            )
        )
