"""A page of a common search, read from PostgreSQL's name-word index (migration 0009).

The member list is in name order (given name first). A fragment most members lack but
thousands hold ("hung") defeats both plain plans: walking the name-order index reads a
third of the table before the first "Hùng", and the trigram index fetches all 100,000+
matches to sort them. `members_name_word` holds one row per (word, member) in name
order, so the members holding one word come out already sorted: the words containing
the fragment are looked up in the small vocabulary and their rows merged, a batch at a
time, until a page is found.

Only `selectors.member_list_page` calls this, and only on PostgreSQL for a search whose
capped count overflowed; None means "no safe or cheap walk here, use the plain plan".
"""

from django.db import connection
from django.db.models import QuerySet

from hoiccb.members.models import Member
from hoiccb.org.paths import successor

# More words than this contain the fragment: it is too loose to lead (and then dense
# enough that the plain name-order walk finds a page quickly).
MAX_WORDS = 40
# Rows read per round, and rounds before giving the search back to the plain plan:
# the other filters (more words, birth years, ...) may keep few of the rows walked.
BATCH = 400
MAX_ROUNDS = 10
# Rows of a term's words counted to pick the leading term: enough to tell common from rare.
POSTINGS_PROBE = 5_000


def leading_words(terms: list[str], prefix: str, status: str) -> list[str] | None:
    """Return the words of the term whose rows are fewest (the one to walk), or None.

    A term leads only if it is letters only, of three letters or more, found in at
    most MAX_WORDS words, and inside no card number's letters (those have no rows).
    """
    candidates: list[list[str]] = []
    with connection.cursor() as cursor:
        for term in terms:
            if len(term) < 3 or not term.isalpha():
                continue
            cursor.execute(
                "SELECT word, walkable FROM members_name_vocab WHERE word LIKE %s LIMIT %s",
                ["%" + term + "%", MAX_WORDS + 1],
            )
            found = cursor.fetchall()
            if len(found) > MAX_WORDS or not all(walkable for _, walkable in found):
                continue
            words = [word for word, _ in found]
            if not words:
                return []  # no member holds this term at all
            candidates.append(words)
        if len(candidates) < 2:
            return candidates[0] if candidates else None
        return min(candidates, key=lambda words: _count_postings(cursor, words, prefix, status))


def _count_postings(cursor, words: list[str], prefix: str, status: str) -> int:
    where, params = _scope_sql(prefix, status)
    cursor.execute(
        # `where` is one of _scope_sql's fixed fragments; every value is a parameter.
        f"SELECT count(*) FROM (SELECT 1 FROM members_name_word WHERE word = ANY(%s) {where} LIMIT %s) s",  # noqa: S608
        [words, *params, POSTINGS_PROBE],
    )
    return cursor.fetchone()[0]


def _scope_sql(prefix: str, status: str) -> tuple[str, list]:
    where, params = "AND unit_path >= %s", [prefix]
    upper = successor(prefix)
    if upper is not None:
        where += " AND unit_path < %s"
        params.append(upper)
    if status:
        where += " AND status = %s"
        params.append(status)
    return where, params


def walk_ids(
    qs: QuerySet[Member],
    words: list[str],
    *,
    prefix: str,
    status: str,
    cursor: tuple[bytes, int] | None,
    backwards: bool,
    limit: int,
) -> list[int] | None:
    """Return up to `limit` ids of `qs` in name order (reversed when backwards), after the cursor.

    Rows of the leading words come in name order, a batch at a time; `qs` (every
    filter of the list, this term included) decides which of them stay. None when
    MAX_ROUNDS batches did not fill the page.
    """
    if not words:
        return []
    where, scope_params = _scope_sql(prefix, status)
    sign, direction = ("<", "DESC") if backwards else (">", "ASC")
    keys: list[int] = []
    seen: set[int] = set()
    position = cursor
    with connection.cursor() as db:
        for _ in range(MAX_ROUNDS):
            branches, params = [], []
            for word in words:
                after = f"AND (sort_key, member_id) {sign} (%s, %s)" if position else ""
                branches.append(  # fixed fragments only (scope, direction); values are parameters
                    f"(SELECT sort_key, member_id FROM members_name_word WHERE word = %s {where} {after}"  # noqa: S608
                    f" ORDER BY sort_key {direction}, member_id {direction} LIMIT %s)"
                )
                params += [word, *scope_params, *(position or ()), BATCH]
            merged = " UNION ALL ".join(branches)
            db.execute(
                f"SELECT sort_key, member_id FROM ({merged}) AS rows"  # noqa: S608 - the branches above
                f" ORDER BY sort_key {direction}, member_id {direction} LIMIT %s",
                [*params, BATCH],
            )
            rows = db.fetchall()
            # A member holding two of the words ("Thanh Anh" for "anh") comes twice, side by side.
            batch = []
            for _, member_id in rows:
                if member_id not in seen:
                    seen.add(member_id)
                    batch.append(member_id)
            kept = set(qs.filter(id__in=batch).values_list("id", flat=True))
            for member_id in batch:
                if member_id in kept:
                    keys.append(member_id)
                    if len(keys) == limit:
                        return keys
            if len(rows) < BATCH:
                return keys  # every row of the leading words has been read
            position = (bytes(rows[-1][0]), rows[-1][1])
    return None
