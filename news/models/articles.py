"""News articles (« Actualités »): written by the leads for their group, published by the
coordinator."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from association.uploads import RasterImageField, stored_image_name
from events.models import Event
from groups.models import Project, WorkingGroup
from members.models import Structure


def article_image_upload_to(instance: "Article", filename: str) -> str:
    return stored_image_name(instance.image, folder="actualites")


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None) -> "ArticleQuerySet":
        """Published, and their publication date come."""
        return self.filter(
            status=Article.Status.PUBLISHED, published_at__lte=now or timezone.now()
        )

    def programmed(self, now=None) -> "ArticleQuerySet":
        """Published, with a publication date still to come: on the site by themselves then."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=now or timezone.now())

    def since(self, moment) -> "ArticleQuerySet":
        return self.filter(published_at__gt=moment) if moment else self

    def newest_first(self) -> "ArticleQuerySet":
        return self.order_by("-published_at", "-pk")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        PUBLISHED = "published", "Publiée"

    title = models.CharField("titre", max_length=200)
    slug = models.SlugField("identifiant d'URL", max_length=200, unique=True)
    summary = models.CharField(
        "résumé",
        max_length=300,
        help_text="Une ou deux phrases, reprises dans la liste, les flux et la lettre.",
    )
    body = models.TextField(
        "texte",
        help_text="Au format Markdown\u00a0: **gras**, *italique*, listes «\u00a0- \u00a0», "
        "liens [texte](https://…), intertitres «\u00a0## \u00a0». Le HTML n'est pas interprété.",
    )
    image = RasterImageField(
        "image",
        upload_to=article_image_upload_to,
        blank=True,
        help_text="Image PNG, JPEG ou WebP (pas de SVG), en tête de l'article et en aperçu "
        "sur les réseaux sociaux.",
    )
    image_alt = models.CharField(
        "texte alternatif de l'image",
        max_length=250,
        blank=True,
        help_text="Ce que montre l'image, pour qui ne la voit pas. Obligatoire avec une image.",
    )
    status = models.CharField(
        "état", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        "date de publication",
        null=True,
        blank=True,
        help_text="Vide\u00a0: la date de la publication. Une date à venir la programme.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    group = models.ForeignKey(
        WorkingGroup,
        verbose_name="groupe de travail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    event = models.ForeignKey(
        Event,
        verbose_name="événement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    project = models.ForeignKey(
        Project,
        verbose_name="projet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    structure = models.ForeignKey(
        Structure,
        verbose_name="structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "actualité"
        verbose_name_plural = "actualités"
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_article", "Publier une actualité")]
        constraints = [
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_alt=""), name="article_image_has_alt_text"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_is_dated",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:article_detail", kwargs={"slug": self.slug})

    @property
    def published_on(self):
        """The local day of publication, as the pages print it."""
        return timezone.localdate(self.published_at) if self.published_at else None

    @property
    def is_published(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )
