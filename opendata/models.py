"""The national picture: other PTCE portals whose data packages are read, and what was read
from them, each record with its source and its licence."""

from django.db import models


class RemotePortal(models.Model):
    """Another PTCE's portal (or any site publishing the same data package)."""

    class Outcome(models.TextChoices):
        READ = "read", "Lu"
        PARTLY = "partly", "Lu en partie"
        REFUSED = "refused", "Refusé"

    package_url = models.URLField(
        "adresse du paquet de données",
        max_length=500,
        unique=True,
        help_text="L'adresse https:// de son datapackage.json, par exemple "
        "https://portail.example.org/donnees/datapackage.json.",
    )
    name = models.CharField(
        "nom",
        max_length=200,
        blank=True,
        help_text="Repris la première fois de l'éditeur que son paquet nomme, puis gardé tel que "
        "vous l'écrivez ici (le portail ne peut pas se renommer sur la page nationale).",
    )
    is_active = models.BooleanField("lu", default=True, help_text="Décochez pour ne plus le lire.")
    homepage = models.URLField("page des données", max_length=500, blank=True)
    licence_name = models.CharField("licence", max_length=100, blank=True)
    licence_url = models.URLField("adresse de la licence", max_length=500, blank=True)
    last_read_at = models.DateTimeField("dernière lecture", null=True, blank=True)
    last_outcome = models.CharField(
        "résultat de la dernière lecture", max_length=10, choices=Outcome.choices, blank=True
    )
    last_report = models.TextField("compte rendu de la dernière lecture", blank=True)
    data_modified_at = models.CharField(
        "données modifiées le", max_length=40, blank=True, help_text="Selon son paquet."
    )

    class Meta:
        verbose_name = "portail d'un autre PTCE"
        verbose_name_plural = "portails d'autres PTCE"
        ordering = ["name", "package_url"]

    def __str__(self):
        return self.name or self.package_url


class HarvestedRecord(models.Model):
    """One row of another portal's dataset, as read (its columns in `data`), with the file it
    came from and the licence it was published under."""

    class Dataset(models.TextChoices):
        STRUCTURES = "structures", "Structures"
        MEETINGS = "reunions", "Réunions"
        EVENTS = "evenements", "Événements"
        FIGURES = "chiffres", "Chiffres annuels"

    portal = models.ForeignKey(
        RemotePortal, verbose_name="portail", on_delete=models.CASCADE, related_name="records"
    )
    dataset = models.CharField("jeu de données", max_length=20, choices=Dataset.choices)
    identifier = models.CharField("identifiant", max_length=200)
    data = models.JSONField("données")
    source_url = models.URLField("fichier lu", max_length=500)
    licence = models.CharField("licence", max_length=100)
    date = models.DateField("date", null=True, blank=True)  # meetings and events: to sort
    read_at = models.DateTimeField("lu le")

    class Meta:
        verbose_name = "enregistrement lu"
        verbose_name_plural = "enregistrements lus"
        ordering = ["portal", "dataset", "identifier"]
        constraints = [
            models.UniqueConstraint(
                fields=["portal", "dataset", "identifier"], name="one_harvested_record_per_id"
            ),
        ]
        indexes = [models.Index(fields=["dataset", "date"], name="harvested_dataset_date")]

    def __str__(self):
        return f"{self.portal} — {self.dataset} {self.identifier}"

    @property
    def title(self) -> str:
        """What the national page names it by: an event's title, a meeting's group."""
        data = self.data
        return data.get("titre") or data.get("groupe_nom") or data.get("nom") or self.identifier

    @property
    def is_cancelled(self) -> bool:
        return "true" in (self.data.get("annulee"), self.data.get("annule"))
