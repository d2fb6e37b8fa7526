from django.db import migrations

# code, name, order, has_gifts: the kinds the article names; more are added in the admin.
KINDS = [
    ("tuyen-truyen", "Tuyên truyền, kỷ niệm ngày lễ", 10, False),
    ("an-sinh", "An sinh xã hội: thăm, tặng quà", 20, True),
    ("ve-nguon", "Về nguồn", 30, False),
    ("kinh-te", "Giúp nhau làm kinh tế", 40, False),
    ("hoi-nghi", "Hội nghị, sinh hoạt, họp", 50, False),
    ("khac", "Hoạt động khác", 90, False),
]


def seed(apps, schema_editor):
    ActivityKind = apps.get_model("activities", "ActivityKind")
    for code, name, order, has_gifts in KINDS:
        ActivityKind.objects.update_or_create(code=code, defaults={"name": name, "order": order, "has_gifts": has_gifts})


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
