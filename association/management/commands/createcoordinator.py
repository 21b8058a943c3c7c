"""Create a real coordinator account: staff, in the `coordinateur` group, never a superuser.

Interactive by default; with `--noinput`, the username and e-mail come from the options and the
password from the COORDINATOR_PASSWORD environment variable (never from the command line, where
it would stay in the shell history and the process list).
"""

import os
from getpass import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from association.models import User
from association.roles import COORDINATOR_GROUP
from association.services import create_coordinator

PASSWORD_ENV = "COORDINATOR_PASSWORD"


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


class Command(BaseCommand):
    help = (
        "Crée un compte de coordination : accès à l'administration, groupe « coordinateur », "
        "sans droits de superutilisateur."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", help="Nom d'utilisateur du compte.")
        parser.add_argument("--email", default=None, help="Adresse e-mail (facultative).")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Ne rien demander : le mot de passe est lu dans la variable {PASSWORD_ENV}.",
        )

    def handle(self, *args, username, email, interactive, **options):
        if interactive:
            try:
                user = self._create_interactively(username=username, email=email)
            except (KeyboardInterrupt, EOFError):
                self.stderr.write("\nOpération annulée.")
                raise SystemExit(1) from None
        else:
            user = self._create_without_input(username=username, email=email or "")
        self.stdout.write(
            self.style.SUCCESS(
                f"Compte de coordination « {user.username} » créé\u00a0: accès à "
                f"l'administration, groupe « {COORDINATOR_GROUP} », sans droits de "
                "superutilisateur."
            )
        )

    def _create_without_input(self, *, username: str | None, email: str) -> User:
        if not username:
            raise CommandError("Indiquez le nom d'utilisateur avec --username.")
        password = os.environ.get(PASSWORD_ENV, "")
        if not password:
            raise CommandError(
                f"Sans saisie, le mot de passe est lu dans la variable d'environnement "
                f"{PASSWORD_ENV}, qui est vide."
            )
        try:
            return create_coordinator(username=username, email=email, password=password)
        except ValidationError as error:
            raise CommandError(_messages(error)) from error

    def _create_interactively(self, *, username: str | None, email: str | None) -> User:
        while True:
            if not username:
                username = input("Nom d'utilisateur\u00a0: ").strip()
            if email is None:
                email = input("Adresse e-mail (facultative)\u00a0: ").strip()
            try:
                User(username=username, email=email).full_clean(exclude=["password"])
            except ValidationError as error:
                self.stderr.write(_messages(error))
                if "username" in error.message_dict:
                    username = None
                if "email" in error.message_dict:
                    email = None
                continue
            break
        while True:
            password = getpass("Mot de passe\u00a0: ")
            if password != getpass("Mot de passe (confirmation)\u00a0: "):
                self.stderr.write("Les deux mots de passe ne correspondent pas. Recommencez.")
                continue
            try:
                return create_coordinator(username=username, email=email, password=password)
            except ValidationError as error:
                self.stderr.write(_messages(error))
