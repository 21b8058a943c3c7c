"""Writing and publishing articles: a lead writes drafts for their groups, the coordinator
(`news.publish_article`) publishes."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from news.models import Article

PUBLISH = "news.publish_article"


@transaction.atomic
def save_article(*, article: Article, user, is_new: bool) -> Article:
    """Save `article` written by `user`: a new one gets its author; a published one without a
    date is dated now. Only an account that may publish saves an article published."""
    if article.status == Article.Status.PUBLISHED and not user.has_perm(PUBLISH):
        raise PermissionDenied("Seule la coordination publie les actualités.")
    if article.image and not article.image_alt.strip():
        raise ValidationError({"image_alt": "Décrivez l'image pour qui ne la voit pas."})
    if is_new and article.author_id is None:
        article.author = user
    if article.status == Article.Status.PUBLISHED and article.published_at is None:
        article.published_at = timezone.now()
    article.save()
    return article
