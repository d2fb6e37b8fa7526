from django.db import migrations

FORMS = [
    # code, name, recipient, level, once, not_posthumous, min_years, prereq, order
    ("giay-khen-khoi", "Giấy khen của Hội CCB Khối", "individual", "khoi", False, False, 2, 2, 1),
    ("giay-khen-khoi-tap-the", "Giấy khen tập thể của Hội CCB Khối", "collective", "khoi", False, False, 2, 2, 2),
    ("bang-khen-tinh", "Bằng khen của Hội CCB tỉnh", "individual", "tinh", False, False, 3, 3, 3),
    ("bang-khen-trung-uong", "Bằng khen của Trung ương Hội CCB Việt Nam", "individual", "trung-uong", False, False, 5, 5, 4),
    ("ky-niem-chuong", "Kỷ niệm chương «Cựu chiến binh Việt Nam»", "individual", "trung-uong", True, True, 0, 0, 5),
    ("co-thi-dua", "Cờ thi đua của Hội CCB tỉnh", "collective", "tinh", False, False, 1, 3, 6),
]


def seed(apps, schema_editor):
    AwardForm = apps.get_model("awards", "AwardForm")
    for code, name, recipient, level, once, not_post, years, prereq, order in FORMS:
        AwardForm.objects.update_or_create(
            code=code,
            defaults=dict(
                name=name,
                recipient=recipient,
                level=level,
                once_in_lifetime=once,
                not_posthumous=not_post,
                min_years_between=years,
                prerequisite_years=prereq,
                order=order,
            ),
        )


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
