from news.models.articles import Article
from news.models.issues import Delivery, Issue, Section
from news.models.subscribers import NewsMailKind, Subscriber

__all__ = ["Article", "Delivery", "Issue", "NewsMailKind", "Section", "Subscriber"]
