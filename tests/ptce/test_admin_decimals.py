"""Every decimal of every form of the back-office, in a model admin or an inline, ours and the
libraries', is typed as a French coordinator types it: « 20,50 », « 1,5 », « 1 607 »
(association/admin_french.py). A model admin or inline added later is covered without
touching this file."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import models
from django.test import RequestFactory

from association.admin_french import FrenchDecimalField

DECIMAL_ADMINS = sorted(
    (
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if any(isinstance(f, models.DecimalField) for f in model._meta.get_fields())
        or any(
            isinstance(f, models.DecimalField)
            for inline in model_admin.inlines
            for f in inline.model._meta.get_fields()
        )
    ),
    key=lambda pair: pair[0]._meta.label,
)


def test_there_are_decimals_to_check():
    labels = {model._meta.label for model, _ in DECIMAL_ADMINS}
    assert {"members.Membership", "report.YearlyFigures"} <= labels


@pytest.mark.parametrize(
    ("model", "model_admin"), DECIMAL_ADMINS, ids=lambda v: getattr(v, "__name__", str(v))
)
def test_each_decimal_field_takes_a_french_comma(model, model_admin, superuser):
    request = RequestFactory().get("/")
    request.user = superuser
    forms = [model_admin.get_form(request)]
    forms += [
        inline.get_formset(request).form for inline in model_admin.get_inline_instances(request)
    ]
    checked = 0
    for form in forms:
        for name, field in form.base_fields.items():
            model_field = (
                form._meta.model._meta.get_field(name)
                if name in {f.name for f in form._meta.model._meta.get_fields()}
                else None
            )
            if isinstance(model_field, models.DecimalField):
                assert isinstance(field, FrenchDecimalField), (form._meta.model, name)
                assert field.clean("12,5") == Decimal("12.5")
                checked += 1
    assert checked or not any(
        isinstance(f, models.DecimalField) for f in model._meta.get_fields()
    ), model
