from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ptce.demo.participants import make_sample_participants


class Command(BaseCommand):
    help = (
        "Démonstration : ajoute dans chaque groupe actif deux participants d'exemple (personnes "
        "fictives, adresses @example.org), un·e chef·fe de file d'exemple, un compte rendu "
        "d'exemple publié et un document d'exemple. Refuse de fonctionner quand DEBUG est "
        "désactivé."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refusé : DEBUG est désactivé. Cette commande crée des personnes d'exemple "
                "pour une démonstration ; elle ne doit pas toucher à une base de production."
            )
        report = make_sample_participants()
        self.stdout.write("Exemples de la démonstration (personnes fictives)\u00a0:")
        for line in report.lines():
            self.stdout.write(f"  {line}")
        if report.participants:
            self.stdout.write(
                "  «\u00a0Mon espace\u00a0»\u00a0: demandez un lien de connexion pour "
                f"{report.participants[0].email}\u00a0; le message s'affiche dans ce terminal."
            )
