"""The version of the public content, which the page cache keys its pages by."""

from django.db import models


class ContentVersion(models.Model):
    """One row: the version of everything the public pages show. Every save or delete of such
    a record raises it in the same transaction (`association/content.py`), so a page cached
    under one version is never served once the data it was made from has changed. The value is
    the time of the last change in microseconds since 1970, kept strictly increasing: it also
    gives the pages' Last-Modified."""

    version = models.BigIntegerField("version", default=0)

    class Meta:
        verbose_name = "version du contenu public"
        verbose_name_plural = "version du contenu public"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="content_version_singleton"),
        ]

    def __str__(self):
        return str(self.version)
