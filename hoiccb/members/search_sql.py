"""SQL of SQLite's FTS5 trigram index over members' search_text (migration 0005 runs it).

One copy of each statement: the migration creates the index and its triggers from here,
and the bulk loader drops and re-creates the insert trigger around a batch. Databases that
ran migration 0005 keep what it created: change a statement only together with a new
migration that drops and re-creates it.
"""

SQLITE_FTS_INSERT_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS members_member_fts_insert AFTER INSERT ON members_member BEGIN "
    "INSERT INTO members_member_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
)
SQLITE_FTS_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS members_member_fts USING fts5("
    "search_text, content='members_member', content_rowid='id', tokenize='trigram')",
    SQLITE_FTS_INSERT_TRIGGER,
    "CREATE TRIGGER IF NOT EXISTS members_member_fts_delete AFTER DELETE ON members_member BEGIN "
    "INSERT INTO members_member_fts(members_member_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS members_member_fts_update AFTER UPDATE OF search_text ON members_member BEGIN "
    "INSERT INTO members_member_fts(members_member_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO members_member_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO members_member_fts(members_member_fts) VALUES ('rebuild')",
]
SQLITE_FTS_DROP = [
    "DROP TRIGGER IF EXISTS members_member_fts_insert",
    "DROP TRIGGER IF EXISTS members_member_fts_delete",
    "DROP TRIGGER IF EXISTS members_member_fts_update",
    "DROP TABLE IF EXISTS members_member_fts",
]
