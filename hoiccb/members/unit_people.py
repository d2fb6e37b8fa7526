"""The members as org's people of a unit (see org.people): head counts, merges, unit pages."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django import forms
from django.db.models import Count
from django.db.models.functions import Substr

from hoiccb.accounts.models import User
from hoiccb.members import pickers, selectors
from hoiccb.members.models import Member, MemberStatus
from hoiccb.members.services import members_move_for_merge
from hoiccb.org.models import Unit
from hoiccb.org.paths import STEP_LENGTH, subtree_filter


class MembersOfUnit:
    def headcounts(self, root_path: str, depth: int) -> dict[str, int]:
        """One grouped query on the member table, cut at the deepest shown level, summed up the tree."""
        cut = len(root_path) + depth * STEP_LENGTH
        grouped = (
            Member.objects.filter(status=MemberStatus.ACTIVE, **subtree_filter("unit_path", root_path))
            .annotate(prefix=Substr("unit_path", 1, cut))
            .values("prefix")
            .annotate(n=Count("id"))
            .order_by()
        )
        totals: dict[str, int] = defaultdict(int)
        for row in grouped:
            prefix = row["prefix"]
            for end in range(len(root_path), len(prefix) + 1, STEP_LENGTH):
                totals[prefix[:end]] += row["n"]
        return totals

    def move_for_merge(self, *, actor: User, from_unit: Unit, to_unit: Unit, on: datetime.date) -> int:
        return members_move_for_merge(actor=actor, from_unit=from_unit, to_unit=to_unit, on=on)

    def first_page(self, user: User, unit: Unit, size: int) -> selectors.Page:
        page, _, _ = selectors.member_list_page(user, selectors.MemberFilters(unit=unit), size=size)
        return page

    def officer_field(self, user: User, unit: Unit, *, label: str) -> forms.ModelChoiceField[Any]:
        members = selectors.filtered_members(user, selectors.MemberFilters(unit=unit))
        return pickers.member_field(user, members, label=label, within=unit)
