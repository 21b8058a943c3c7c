"""`manage.py read_portals [ADDRESS ...]`: read the other portals' data packages into the
national picture (/donnees/reseau-national/), and say what was read and what was refused."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.core.validators import URLValidator

from opendata.harvest import harvest_all
from opendata.models import RemotePortal


class Command(BaseCommand):
    help = "Lit les paquets de données des autres portails (carte nationale)."

    def add_arguments(self, parser):
        parser.add_argument(
            "addresses",
            nargs="*",
            help="Adresses de datapackage.json à ajouter à la liste avant la lecture.",
        )

    def handle(self, *args, addresses, **options):
        for address in addresses:
            try:
                URLValidator(schemes=["https", "http"])(address)
            except ValidationError:
                self.stderr.write(f"« {address} » n'est pas une adresse : ignorée.")
                continue
            RemotePortal.objects.get_or_create(package_url=address)
        reports = harvest_all()
        if not reports:
            self.stdout.write("Aucun portail à lire : ajoutez-en dans le back-office.")
        for report in reports:
            self.stdout.write(
                f"{report.portal} ({report.portal.package_url}) : "
                f"{report.portal.get_last_outcome_display()}"
            )
            for line in report.lines:
                self.stdout.write(f"  {line}")
