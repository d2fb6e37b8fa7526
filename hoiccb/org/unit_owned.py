"""Rows that belong to a unit and keep a copy of its path.

A copy of the unit's materialised path on each row makes "everything of this subtree"
one index range on the row's own table, with no join to the tree. The price is that
the copies follow the tree: when a unit moves or merges, `repath_unit_owned` rewrites
them in one statement per model. A model joins simply by subclassing `UnitOwned`; the
list of models is read from the app registry, so none can be forgotten.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Substr

from hoiccb.org.paths import subtree_filter


class UnitOwned(models.Model):
    """Abstract base: `unit_path` is filled from `owner_path()` on every save.

    Each subclass declares its own `unit` foreign key, since related names and deletion
    rules differ; a row whose unit follows another row (a member's rating, a meeting's
    task) overrides `owner_path`.
    """

    unit_path = models.CharField(max_length=255, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.unit_path = self.owner_path()
        elif set(update_fields) & self._owner_fields():
            # A narrow save rewrites the copy only when it changes what the row belongs to:
            # one that saves a state must not write back a path a unit move has since changed.
            self.unit_path = self.owner_path()
            kwargs["update_fields"] = {*update_fields, "unit_path"}
        super().save(*args, **kwargs)

    @classmethod
    def _owner_fields(cls) -> set[str]:
        """Names (and attnames) of the row's relations: the fields its path can follow."""
        relations = [f for f in cls._meta.concrete_fields if f.is_relation]
        return {f.name for f in relations} | {f.attname for f in relations}

    def owner_path(self) -> str:
        """Return the path this row belongs under (by default its unit's)."""
        return self.unit.path  # type: ignore[attr-defined]  # every subclass has a unit or overrides this


def unit_owned_models() -> list[type[UnitOwned]]:
    """Return every installed concrete model that keeps a unit-path copy."""
    return [model for model in apps.get_models() if issubclass(model, UnitOwned)]


def repath_unit_owned(old_prefix: str, new_prefix: str) -> None:
    """Rewrite the path copies under `old_prefix` to start with `new_prefix` instead."""
    cut = len(old_prefix) + 1
    for model in unit_owned_models():
        model._default_manager.filter(**subtree_filter("unit_path", old_prefix)).update(
            unit_path=Concat(Value(new_prefix), Substr("unit_path", cut))
        )
