from django.db import migrations

THEATRES = [
    ("chong-phap", "Kháng chiến chống Pháp", 1),
    ("chong-my", "Kháng chiến chống Mỹ", 2),
    ("bien-gioi-tay-nam", "Bảo vệ biên giới Tây Nam", 3),
    ("bien-gioi-phia-bac", "Bảo vệ biên giới phía Bắc", 4),
    ("quoc-te", "Làm nhiệm vụ quốc tế", 5),
    ("thoi-binh", "Thời bình", 6),
]


def seed(apps, schema_editor):
    Theatre = apps.get_model("members", "Theatre")
    for code, name, order in THEATRES:
        Theatre.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("members", "0002_member_unit_and_history_links")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
