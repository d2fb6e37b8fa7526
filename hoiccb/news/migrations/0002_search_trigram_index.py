"""On PostgreSQL, a trigram GIN index lets the public search's `LIKE '%word%'` use an index."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS article_search_trgm ON news_article USING gin (search_text gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS article_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("news", "0001_articles_and_directives")]
    operations = [migrations.RunPython(create, drop)]
