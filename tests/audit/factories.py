"""The audit trail's factory (the admin's every-model tests find it here)."""

import factory

from audit.models import AuditEntry
from tests.factories import PersonFactory


class AuditEntryFactory(factory.django.DjangoModelFactory):
    """An entry of the audit trail, written as the portal writes them: by a change to a
    record (a person's title here), never directly."""

    class Meta:
        model = AuditEntry

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        person = PersonFactory(title="")
        person.title = "Trésorière"
        person.save()
        return model_class.objects.latest("pk")
