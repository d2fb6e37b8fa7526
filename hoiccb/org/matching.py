"""Match the unit names and codes that people write in a file to units of the user's subtree."""

import difflib

from hoiccb.accounts import scoping
from hoiccb.accounts.models import User
from hoiccb.lib.vietnamese import normalize_search
from hoiccb.org.models import Unit


class UnitMatcher:
    """Match the unit names and codes written in a file to units in the user's subtree."""

    def __init__(self, actor: User, choices: dict[str, int]):
        units = list(scoping.units(actor).filter(kind__holds_members=True, status="active").select_related("kind"))
        self.by_id = {u.pk: u for u in units}
        self.by_key: dict[str, Unit] = {}
        ambiguous: set[str] = set()
        for unit in units:
            for key in self._keys(unit):
                if key in self.by_key and self.by_key[key].pk != unit.pk:
                    ambiguous.add(key)
                self.by_key.setdefault(key, unit)
        for key in ambiguous:
            self.by_key.pop(key, None)
        self.choices = {k: self.by_id[v] for k, v in choices.items() if v in self.by_id}
        self.names = {normalize_search(u.name): u for u in units}
        self._matched: dict[str, Unit | None] = {}  # a list names the same few units on every row

    @staticmethod
    def _keys(unit: Unit) -> set[str]:
        name = normalize_search(unit.name)
        keys = {unit.code.lower(), name}
        for prefix in ("hoi ccb ", "hoi cuu chien binh ", "chi hoi ccb ", "chi hoi "):
            if name.startswith(prefix):
                keys.add(name.removeprefix(prefix))
        return keys

    def match(self, text: str) -> Unit | None:
        if text in self._matched:
            return self._matched[text]
        key = normalize_search(text)
        unit = self.choices.get(key) or self.by_key.get(key) or self.by_key.get(text.strip().lower())
        if len(self._matched) < 10_000:
            self._matched[text] = unit
        return unit

    def suggestions(self, text: str) -> list[Unit]:
        close = difflib.get_close_matches(normalize_search(text), list(self.names), n=3, cutoff=0.6)
        return [self.names[c] for c in close]
