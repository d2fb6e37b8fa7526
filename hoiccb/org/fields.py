"""Form fields that pick units from the user's subtree, shown as an indented tree."""

from django import forms
from django.forms.models import ModelChoiceIterator

from hoiccb.accounts import scoping
from hoiccb.org.models import Unit
from hoiccb.org.selectors import tree_order


class TreeOrderIterator(ModelChoiceIterator):
    """Yield the choices depth-first, siblings by name, like the tree page."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for unit in tree_order(list(self.queryset)):
            yield self.choice(unit)


class UnitChoiceField(forms.ModelChoiceField):
    iterator = TreeOrderIterator

    def __init__(self, *args, root_depth: int = 1, **kwargs):
        self.root_depth = root_depth
        super().__init__(*args, **kwargs)

    def label_from_instance(self, unit: Unit) -> str:
        # Indented from the user's own unit, which is the top of what they see.
        return "— " * max(unit.depth - self.root_depth, 0) + unit.name


def scoped_unit_field(
    user,
    *,
    label: str,
    required: bool = True,
    active_only: bool = True,
    holds_members: bool = False,
    above_level: int | None = None,
    at_most_level: int | None = None,
    outside: Unit | None = None,
    empty_label: str | None = None,
) -> UnitChoiceField:
    """Return a choice of units from the user's subtree.

    holds_members: only units where members can be registered; above_level: only
    units of a higher level (a smaller number) than this one, i.e. possible parents;
    at_most_level: only units of that level or higher; outside: leave out this unit
    and its subtree.
    """
    units = scoping.units(user).select_related("kind")
    if active_only:
        units = units.active()
    if holds_members:
        units = units.filter(kind__holds_members=True)
    if above_level is not None:
        units = units.filter(kind__level__lt=above_level)
    if at_most_level is not None:
        units = units.filter(kind__level__lte=at_most_level)
    if outside is not None:
        units = units.exclude(pk__in=Unit.objects.subtree(outside).values("pk"))
    root = scoping.root_unit(user)
    field = UnitChoiceField(
        queryset=units,
        label=label,
        required=required,
        empty_label=empty_label or ("— Tất cả đơn vị —" if not required else "— Chọn đơn vị —"),
        root_depth=root.depth if root else 1,
    )
    field.widget.attrs["class"] = "form-select"
    return field
