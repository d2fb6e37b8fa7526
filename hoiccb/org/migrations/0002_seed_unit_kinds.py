from django.db import migrations

# code, name, level, is_grassroots, holds_members
KINDS = [
    ("trung-uong", "Trung ương Hội", 0, False, False),
    ("tinh", "Hội CCB tỉnh, thành phố", 1, False, False),
    ("khoi", "Hội CCB cấp trên cơ sở (Khối)", 2, False, False),
    ("co-so", "Hội CCB cơ sở", 3, True, True),
    ("chi-hoi", "Chi hội", 4, False, True),
    ("to-hoi", "Tổ hội", 5, False, True),
]


def seed(apps, schema_editor):
    UnitKind = apps.get_model("org", "UnitKind")
    for code, name, level, grassroots, holds_members in KINDS:
        UnitKind.objects.update_or_create(
            code=code,
            defaults={"name": name, "level": level, "is_grassroots": grassroots, "holds_members": holds_members},
        )


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
