"""Materialised paths of the unit tree.

A unit's path is its parent's path plus a fixed-width base-36 step, e.g. "0001"
→ "00010003". Steps use only 0-9 and A-Z, which every database collation orders
like ASCII, so a subtree is one index range: path >= P and path < successor(P).
"""

STEP_LENGTH = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_STEP = len(ALPHABET) ** STEP_LENGTH - 1


def encode_step(number: int) -> str:
    if not 0 < number <= MAX_STEP:
        raise ValueError(f"step out of range: {number}")
    digits = []
    for _ in range(STEP_LENGTH):
        number, rest = divmod(number, len(ALPHABET))
        digits.append(ALPHABET[rest])
    return "".join(reversed(digits))


def decode_step(step: str) -> int:
    value = 0
    for char in step:
        value = value * len(ALPHABET) + ALPHABET.index(char)
    return value


def depth_of(path: str) -> int:
    return len(path) // STEP_LENGTH


def successor(prefix: str) -> str | None:
    """Return the smallest string above every string starting with `prefix` (None: no bound)."""
    chars = list(prefix)
    for i in range(len(chars) - 1, -1, -1):
        position = ALPHABET.index(chars[i])
        if position + 1 < len(ALPHABET):
            chars[i] = ALPHABET[position + 1]
            return "".join(chars[: i + 1])
    return None


def subtree_filter(field: str, prefix: str) -> dict[str, str]:
    """Return ORM filter kwargs selecting every path that starts with `prefix`."""
    upper = successor(prefix)
    bounds = {f"{field}__gte": prefix}
    if upper is not None:
        bounds[f"{field}__lt"] = upper
    return bounds


def ancestor_paths(path: str) -> list[str]:
    """Return the paths of a path's ancestors, root first, itself excluded."""
    return [path[:i] for i in range(STEP_LENGTH, len(path), STEP_LENGTH)]


def common_ancestor(paths: "set[str] | list[str]") -> str:
    """Return the deepest path (whole steps) that every path in `paths` lies under; "" for none."""
    if not paths:
        return ""
    first, last = min(paths), max(paths)
    length = 0
    while length < min(len(first), len(last)) and first[length] == last[length]:
        length += 1
    return first[: length - length % STEP_LENGTH]
