"""The demo accounts of `make run`, the coordinator's and (once `make_sample_participants` made
the sample lead) the sample lead's: a fresh random password at each run, printed once, never a
fixed default."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from association.services import reset_demo_coordinator
from groups.models import GroupLead
from ptce.demo.participants import DEMO_LEAD, reset_demo_lead

DEMO_USERNAME = "coordination"


def generate_password() -> str:
    # About 96 bits of entropy, URL-safe so that it can be copied from a terminal in one go.
    return secrets.token_urlsafe(12)


class Command(BaseCommand):
    help = (
        "Crée le compte de démonstration « coordination » (groupe coordinateur, sans droits de "
        "superutilisateur) ou lui donne un nouveau mot de passe, affiché une seule fois\u00a0; "
        "de même pour le compte « chef-de-file » du ou de la chef·fe de file d'exemple s'il "
        "existe (make_sample_participants). Réservé au développement (DEBUG activé)."
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
        admin_url = base_url.rstrip("/") + reverse("admin:index")
        user, password, created = _with_fresh_password(
            lambda password: reset_demo_coordinator(username=DEMO_USERNAME, password=password)
        )
        self._print_account(user, password, created, admin_url=admin_url)
        lead = GroupLead.objects.filter(person__email__iexact=DEMO_LEAD["email"]).first()
        if lead is not None:
            user, password, created = _with_fresh_password(
                lambda password: reset_demo_lead(password=password)
            )
            self._print_account(
                user,
                password,
                created,
                admin_url=admin_url,
                role=f"chef·fe de file d'exemple du groupe «\u00a0{lead.group}\u00a0»",
            )
        self.stdout.write(
            "Ces mots de passe ne sont affichés qu'une fois\u00a0: notez-les. "
            "Relancez la commande pour en obtenir de nouveaux."
        )

    def _print_account(self, user, password, created, *, admin_url, role=""):
        role = f" ({role})" if role else ""
        if created:
            self.stdout.write(f"Compte de démonstration « {user.username} »{role} créé.")
        else:
            self.stdout.write(
                f"Compte de démonstration « {user.username} »{role} : nouveau mot de passe."
            )
        self.stdout.write(
            f"  Administration\u00a0: {admin_url}\n"
            f"  Identifiant\u00a0: {user.username}\n"
            f"  Mot de passe\u00a0: {password}"
        )


def _with_fresh_password(reset):
    """Draw passwords until the validators accept one; `reset(password)` → (user, created)."""
    for _attempt in range(5):
        password = generate_password()
        try:
            user, created = reset(password)
        except ValidationError:
            continue  # a random password refused by a validator: draw another one
        return user, password, created
    raise CommandError("Impossible de générer un mot de passe accepté par les validateurs.")
