"""The site identity, read at most once per request."""

from collections.abc import Callable

from django.db.models import Expression

from association.models import SiteIdentity

# Values a higher floor computes in the same query as the identity (the theme's version reads
# when a working group last changed): name -> a function building the expression.
_annotations: dict[str, Callable[[], Expression]] = {}


def annotate_site_identity(name: str, expression: Callable[[], Expression]) -> None:
    """Have `get_site_identity` also fetch `name`, computed by `expression()`, in its one
    query. Called by the apps above this one, from their `AppConfig.ready()`."""
    _annotations[name] = expression


def get_site_identity(request=None) -> SiteIdentity:
    """The identity record, fetched at most once per request (the context processor, a feed
    and a view may all ask for it), with the values registered by `annotate_site_identity`."""
    cached = getattr(request, "_site_identity", None)
    if cached is not None:
        return cached
    annotations = {name: expression() for name, expression in _annotations.items()}
    identity = SiteIdentity.objects.annotate(**annotations).filter(pk=1).first()
    if identity is None:
        identity = SiteIdentity.load()
        for name in annotations:
            setattr(identity, name, None)
    if request is not None:
        request._site_identity = identity
    return identity
