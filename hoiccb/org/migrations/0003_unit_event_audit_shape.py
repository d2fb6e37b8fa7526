"""UnitEvent takes the audit shape: kind→action, recorded_at→at, a summary, and a copy of the unit's path."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_unit_path(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    UnitEvent = apps.get_model("org", "UnitEvent")
    UnitEvent.objects.update(unit_path=Subquery(Unit.objects.filter(pk=OuterRef("unit_id")).values("path")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("org", "0002_seed_unit_kinds"),
    ]

    operations = [
        migrations.RenameField(model_name="unitevent", old_name="kind", new_name="action"),
        migrations.RenameField(model_name="unitevent", old_name="recorded_at", new_name="at"),
        migrations.AddField(
            model_name="unitevent",
            name="unit_path",
            field=models.CharField(default="", editable=False, max_length=255),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(
            name='unitevent',
            options={'ordering': ['-at', '-id']},
        ),
        migrations.AddField(
            model_name='unitevent',
            name='summary',
            field=models.CharField(blank=True, max_length=255, verbose_name='nội dung'),
        ),
        migrations.AlterField(
            model_name='unitevent',
            name='action',
            field=models.CharField(choices=[('created', 'Thành lập'), ('updated', 'Sửa thông tin'), ('moved', 'Chuyển cấp trên'), ('merged', 'Sáp nhập'), ('absorbed', 'Tiếp nhận đơn vị sáp nhập'), ('dissolved', 'Giải thể')], max_length=40, verbose_name='việc'),
        ),
        migrations.AlterField(
            model_name='unitevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người thực hiện'),
        ),
        migrations.AlterField(
            model_name='unitevent',
            name='at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='thời điểm'),
        ),
        migrations.AlterField(
            model_name='unitevent',
            name='changes',
            field=models.JSONField(blank=True, default=dict, verbose_name='thay đổi'),
        ),
        migrations.AlterField(
            model_name='unitevent',
            name='note',
            field=models.TextField(blank=True, verbose_name='ghi chú'),
        ),
        migrations.AddIndex(
            model_name='unitevent',
            index=models.Index(fields=['unit', '-at'], name='unit_event_recent'),
        ),
        migrations.RunPython(fill_unit_path, migrations.RunPython.noop, elidable=True),
    ]
