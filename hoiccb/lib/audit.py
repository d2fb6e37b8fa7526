"""Helpers to describe a change as {field label: [before, after]} for history entries."""

from django.db import models


def display_value(instance: models.Model, field: models.Field):
    """Return a field's value as a user would read it (labels, not codes)."""
    if field.many_to_many:
        if instance.pk is None:
            return ""
        return ", ".join(str(o) for o in getattr(instance, field.name).all())
    value = getattr(instance, field.name)
    if field.choices:
        return dict(field.flatchoices).get(value, value or "")
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def snapshot(instance: models.Model, field_names) -> dict[str, str]:
    fields = {f.name: f for f in instance._meta.get_fields() if isinstance(f, models.Field)}
    return {name: display_value(instance, fields[name]) for name in field_names}


def diff(before: dict[str, str], after: dict[str, str], model: type[models.Model]) -> dict:
    """Return {verbose name: [before, after]} for the fields whose shown value changed."""
    changes = {}
    for name, old in before.items():
        new = after.get(name)
        if old != new:
            label = str(getattr(model._meta.get_field(name), "verbose_name", name))
            changes[label[:1].upper() + label[1:]] = [old, new]
    return changes
