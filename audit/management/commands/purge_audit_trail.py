from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from audit.services import purge_before


class Command(BaseCommand):
    help = "Supprime les entrées du journal d'audit plus anciennes que AUDIT_RETENTION_YEARS."

    def handle(self, **options):
        moment = timezone.now() - relativedelta(years=settings.AUDIT_RETENTION_YEARS)
        deleted = purge_before(moment)
        self.stdout.write(f"{deleted} entrée(s) du journal d'audit supprimée(s).")
