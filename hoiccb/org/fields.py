"""Form fields that pick units from the user's subtree: an indented tree when it is short,
the search picker (org.pickers) when it is long."""

from django import forms
from django.forms.models import ModelChoiceIterator

from hoiccb.accounts import scoping
from hoiccb.org.models import Unit
from hoiccb.org.selectors import tree_order

# Past this many units a choice is the search picker, never a list to scroll (a bloc has ~95
# units, a province thousands); a grassroots chair's few units stay a plain list.
PICKER_FROM = 50


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
) -> forms.ModelChoiceField:
    """Return a choice of units from the user's subtree (the search picker past PICKER_FROM units).

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
    if units.count() > PICKER_FROM:
        from hoiccb.org.pickers import unit_field  # the picker module builds on this one's queries

        return unit_field(user, units, label=label, required=required)
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
