from django.db import migrations

KINDS = [
    ("trung-uong", "Trung ương Hội", 0, False),
    ("tinh", "Hội CCB tỉnh, thành phố", 1, False),
    ("khoi", "Hội CCB cấp trên cơ sở (Khối)", 2, False),
    ("co-so", "Hội CCB cơ sở", 3, True),
    ("chi-hoi", "Chi hội", 4, False),
    ("to-hoi", "Tổ hội", 5, False),
]


def seed(apps, schema_editor):
    UnitKind = apps.get_model("org", "UnitKind")
    for code, name, level, grassroots in KINDS:
        UnitKind.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "is_grassroots": grassroots}
        )


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
