"""The admin's sentences around a model's name, in the French that name needs.

Django's French catalogue only gets the bare `verbose_name`, so it writes « Ajout de associé »,
« Sélectionnez l'objet réunion à changer », « Ajouter un objet Document supplémentaire » or
« Supprimer les réunions sélectionnés ». `FrenchNamesMixin` gives every model admin (the admin
site adds it to each one it registers, ours and the libraries') the titles, action and inline
button built with `association.nouns`; the list's « Ajouter » button, the add page's breadcrumb
and the buttons beside a related field use the `indefinite` and `demonstrative` filters
(templates/admin/). The sentences that can set the name apart are corrected in the project's
catalogue (locale/fr/).

And every decimal of every form, the inlines' too, is typed as a French coordinator types it
(`FrenchDecimalField`): « 20,50 », « 1,5 », « 1 607 »."""

import copy
import json

from django import forms
from django.contrib.admin import ActionLocation, helpers
from django.contrib.admin.actions import delete_selected
from django.db import models
from django.utils.safestring import SafeData, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

from association.nouns import noun


class FrenchDecimalField(forms.DecimalField):
    """A decimal as a French coordinator types it: « 1,5 » (« 1.5 » too), « 1 607 »; in a text
    field with a decimal keyboard on a phone (a number field refuses « 1,5 » in a browser set
    to English, and Django refuses it unless the field is localized)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(localize=True, **{k: v for k, v in kwargs.items() if k != "localize"})

    def to_python(self, value):
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u202f", "")
        return super().to_python(value)


def type_decimals_in_french(model_admin) -> None:
    """The model admin's (or inline's) decimals typed in French (the membership's fee, the
    SCIC's amounts, the report's full-time equivalents…)."""
    model_admin.formfield_overrides = {
        **model_admin.formfield_overrides,
        models.DecimalField: {
            **model_admin.formfield_overrides.get(models.DecimalField, {}),
            "form_class": FrenchDecimalField,
        },
    }


class FrenchInlineAdminFormSet(helpers.InlineAdminFormSet):
    """« Ajouter un document » under an inline, not « Ajouter un objet Document
    supplémentaire »."""

    def inline_formset_data(self):
        data = json.loads(super().inline_formset_data())
        data["options"]["addText"] = f"Ajouter {noun(self.opts.verbose_name).indefinite}"
        return json.dumps(data, ensure_ascii=False)


class FrenchNamesMixin:
    """Titles of the list, add, change and view pages, the « delete selected » action, the
    inlines' button and the form's labels (a label given in lower case, as our forms write
    them, starts with a capital as the model fields' do), decimals typed in French."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        type_decimals_in_french(self)

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            type_decimals_in_french(inline)
        return inlines

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # « Réunions », not « Sélectionnez l'objet réunion à changer ».
        changelist.title = capfirst(self.opts.verbose_name_plural)
        return changelist

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        name = self.opts.verbose_name
        django_titles = {gettext(title) % name for title in ("Add %s", "Change %s", "View %s")}
        if context.get("title") in django_titles:  # a page's own title is left alone
            if add:
                context["title"] = f"Ajouter {noun(name).indefinite}"
            elif self.has_change_permission(request, obj):
                context["title"] = f"Modifier {noun(name).definite}"
            else:
                context["title"] = f"Consulter {noun(name).definite}"
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_action_choices(
        self, request, default_choices=None, action_location=ActionLocation.CHANGE_LIST
    ):
        choices = super().get_action_choices(request, default_choices, action_location)
        plural = self.opts.verbose_name_plural
        french = f"Supprimer les {plural} {noun(self.opts.verbose_name).selected}"
        return [
            (name, french if name == delete_selected.__name__ else text) for name, text in choices
        ]

    def get_inline_formsets(self, *args, **kwargs):
        inline_formsets = super().get_inline_formsets(*args, **kwargs)
        for inline_formset in inline_formsets:
            inline_formset.__class__ = FrenchInlineAdminFormSet
        return inline_formsets

    def get_deleted_objects(self, objs, request):
        """The delete pages' lists in French typography: a space before « : »."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        return _french_colon(deleted), model_count, perms_needed, _french_colon(protected)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # Copies: the declared fields are shared with the form class the admin names.
        form.base_fields = {name: copy.copy(field) for name, field in form.base_fields.items()}
        for field in form.base_fields.values():
            if field.label:
                field.label = capfirst(field.label)
        return form


def _french_colon(items):
    """Django's « Name: record » lines (nested lists of them) with the space French puts before
    the colon; a line's first « : » is the one Django wrote after the model's name."""
    if isinstance(items, list):
        return [_french_colon(item) for item in items]
    if isinstance(items, str) and ": " in items:
        french = items.replace(": ", "\u00a0: ", 1)
        return mark_safe(french) if isinstance(items, SafeData) else french
    return items


def name_link_models() -> None:
    """The tables Django makes for a many-to-many field (a group's participants, a project's
    structures…) are named « Relation workinggroup-person » and their rows « WorkingGroup_
    participant_people object (1) »: the admin's delete pages list them among what goes with a
    group, a person or a structure. Named here from their two models' French names, each row
    by its two records. Migrations never read these names."""
    from django.apps import apps

    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if not opts.auto_created:
            continue
        left, right = (field for field in opts.fields if field.is_relation)
        names = left.related_model._meta.verbose_name, right.related_model._meta.verbose_name
        opts.verbose_name = f"lien {names[0]}\u00a0\u2013 {names[1]}"
        opts.verbose_name_plural = f"liens {names[0]}\u00a0\u2013 {names[1]}"
        model.__str__ = _link_str(left.name, right.name)


def _link_str(left: str, right: str):
    def __str__(self) -> str:
        return f"{getattr(self, left)}\u00a0\u2013 {getattr(self, right)}"

    return __str__
