"""On PostgreSQL, an index of each member's words in name order, kept in step by triggers.

The list is ordered by given name first, so the members matching a common fragment
("hung") sit together far down the name-order index: walking it from the top reads a
third of the table before the first match, and the trigram index finds all 100,000+
matches only to sort them. Here every word of `search_text` is a row
(word, sort_key, member_id, unit_path, status) indexed by (word, sort_key, member_id):
the members holding one word come out already in name order, and the words containing
a fragment (found in the small vocabulary table) are merged, reading about one page of
rows. See `members.name_words`. Statement-level triggers keep bulk loads (COPY, bulk
updates) set-based. Nothing happens on SQLite, whose FTS5 index serves (migration 0005).
"""

from django.db import migrations

# The name words of a set of member rows. Tokens holding a digit (card numbers) stay
# out: they would add a row per member for searches the trigram index serves well.
# search_text is normalised to single spaces, so string_to_array splits it exactly (and
# far cheaper than a regular expression). A repeated word ("Văn Văn") gives two equal
# rows, which the walk reads as one.
WORDS_OF = """
    SELECT word, r.sort_key, r.id AS member_id, r.unit_path, r.status
    FROM {rows} r, unnest(string_to_array(r.search_text, ' ')) AS word
    WHERE word <> '' AND word !~ '[0-9]'
"""
# Rows inserted in the walk index's order land on neighbouring pages: a third less time.
IN_INDEX_ORDER = "ORDER BY 1, 2, 3"
# The vocabulary: every name word (walkable), and the letter runs of tokens with digits
# ("bm" of "bm00844298"), marked not walkable: a fragment inside one of those can
# match a card number, which has no rows here, so it must not lead a walk.
VOCAB_OF = """
    INSERT INTO members_name_vocab (word, walkable)
    SELECT part, bool_and(plain) FROM (
        SELECT token, token !~ '[0-9]' AS plain
        FROM {rows} r, unnest(string_to_array(r.search_text, ' ')) AS token
    ) AS tokens,
    unnest(CASE WHEN plain THEN ARRAY[token]
                ELSE string_to_array(translate(token, '0123456789', '          '), ' ') END) AS part
    WHERE part <> ''
    GROUP BY part
    ON CONFLICT (word) DO UPDATE SET walkable = false
        WHERE members_name_vocab.walkable AND NOT excluded.walkable
"""
# Rows of an UPDATE whose words, order or place changed: the others keep their rows.
CHANGED = """(SELECT {side}.* FROM old_rows o JOIN new_rows n ON n.id = o.id
    WHERE (n.search_text, n.sort_key, n.unit_path, n.status)
          IS DISTINCT FROM (o.search_text, o.sort_key, o.unit_path, o.status))"""

CREATE = [
    "CREATE TABLE IF NOT EXISTS members_name_word ("
    " word text NOT NULL, sort_key bytea NOT NULL, member_id bigint NOT NULL,"
    " unit_path varchar(255) NOT NULL, status varchar(20) NOT NULL)",
    "CREATE TABLE IF NOT EXISTS members_name_vocab (word text PRIMARY KEY, walkable boolean NOT NULL)",
    # Bring the tables up to date before the triggers exist, then index (faster than
    # maintaining the index row by row during the copy).
    "INSERT INTO members_name_word " + WORDS_OF.format(rows="members_member") + IN_INDEX_ORDER,
    VOCAB_OF.format(rows="members_member"),
    "CREATE INDEX IF NOT EXISTS members_name_word_walk ON members_name_word"
    " (word, sort_key, member_id) INCLUDE (unit_path, status)",
    "CREATE INDEX IF NOT EXISTS members_name_vocab_trgm ON members_name_vocab USING gin (word gin_trgm_ops)",
    # Rows go by (word, sort_key, member_id) of the old row, so the walk index serves
    # the deletes too. Transition tables exist only for their operation: one branch each.
    f"""
    CREATE OR REPLACE FUNCTION members_name_word_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM members_name_word w USING ({WORDS_OF.format(rows="old_rows")}) o
            WHERE (w.word, w.sort_key, w.member_id) = (o.word, o.sort_key, o.member_id);
        ELSIF TG_OP = 'UPDATE' THEN
            DELETE FROM members_name_word w USING ({WORDS_OF.format(rows=CHANGED.format(side="o"))}) o
            WHERE (w.word, w.sort_key, w.member_id) = (o.word, o.sort_key, o.member_id);
            INSERT INTO members_name_word {WORDS_OF.format(rows=CHANGED.format(side="n"))} {IN_INDEX_ORDER};
            {VOCAB_OF.format(rows=CHANGED.format(side="n"))};
        ELSE
            INSERT INTO members_name_word {WORDS_OF.format(rows="new_rows")} {IN_INDEX_ORDER};
            {VOCAB_OF.format(rows="new_rows")};
        END IF;
        RETURN NULL;
    END $$
    """,
    "CREATE OR REPLACE FUNCTION members_name_word_truncate() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN TRUNCATE members_name_word; RETURN NULL; END $$",
    "CREATE TRIGGER members_name_word_insert AFTER INSERT ON members_member"
    " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION members_name_word_sync()",
    "CREATE TRIGGER members_name_word_update AFTER UPDATE ON members_member"
    " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT"
    " EXECUTE FUNCTION members_name_word_sync()",
    "CREATE TRIGGER members_name_word_delete AFTER DELETE ON members_member"
    " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION members_name_word_sync()",
    "CREATE TRIGGER members_name_word_truncate AFTER TRUNCATE ON members_member"
    " FOR EACH STATEMENT EXECUTE FUNCTION members_name_word_truncate()",
]

DROP = [
    "DROP TRIGGER IF EXISTS members_name_word_insert ON members_member",
    "DROP TRIGGER IF EXISTS members_name_word_update ON members_member",
    "DROP TRIGGER IF EXISTS members_name_word_delete ON members_member",
    "DROP TRIGGER IF EXISTS members_name_word_truncate ON members_member",
    "DROP FUNCTION IF EXISTS members_name_word_sync()",
    "DROP FUNCTION IF EXISTS members_name_word_truncate()",
    "DROP TABLE IF EXISTS members_name_word",
    "DROP TABLE IF EXISTS members_name_vocab",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("members", "0008_member_imports")]
    operations = [migrations.RunPython(create, drop)]
