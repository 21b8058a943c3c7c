"""The demo coordinator account of `make run`: a fresh random password at each run, printed once,
never a fixed default."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from association.services import reset_demo_coordinator

DEMO_USERNAME = "coordination"


def generate_password() -> str:
    # About 96 bits of entropy, URL-safe so that it can be copied from a terminal in one go.
    return secrets.token_urlsafe(12)


class Command(BaseCommand):
    help = (
        "Crée le compte de démonstration « coordination » (groupe coordinateur, sans droits de "
        "superutilisateur) ou lui donne un nouveau mot de passe, affiché une seule fois. "
        "Réservé au développement (DEBUG activé)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="Adresse du serveur, pour afficher le lien vers l'administration.",
        )

    def handle(self, *args, base_url, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Le compte de démonstration n'est créé qu'en développement (DEBUG activé). "
                "Pour un vrai compte, utilisez « manage.py createcoordinator »."
            )
        for _attempt in range(5):
            password = generate_password()
            try:
                user, created = reset_demo_coordinator(username=DEMO_USERNAME, password=password)
            except ValidationError:
                continue  # a random password refused by a validator: draw another one
            break
        else:
            raise CommandError(
                "Impossible de générer un mot de passe accepté par les validateurs."
            )

        admin_url = base_url.rstrip("/") + reverse("admin:index")
        if created:
            self.stdout.write(f"Compte de démonstration « {user.username} » créé.")
        else:
            self.stdout.write(
                f"Compte de démonstration « {user.username} » : nouveau mot de passe."
            )
        self.stdout.write(
            f"  Administration\u00a0: {admin_url}\n"
            f"  Identifiant\u00a0: {user.username}\n"
            f"  Mot de passe\u00a0: {password}\n"
            "Ce mot de passe n'est affiché qu'une fois\u00a0: notez-le. "
            "Relancez la commande pour en obtenir un nouveau."
        )
