"""ActivityEvent takes the audit shape: recorded_at→at, and a copy of the unit's path."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_unit_path(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    ActivityEvent = apps.get_model("activities", "ActivityEvent")
    ActivityEvent.objects.update(unit_path=Subquery(Unit.objects.filter(pk=OuterRef("unit_id")).values("path")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("activities", "0002_seed_activity_kinds"),
        ("org", "0003_unit_event_audit_shape"),
    ]

    operations = [
        migrations.RenameField(model_name="activityevent", old_name="recorded_at", new_name="at"),
        migrations.AddField(
            model_name="activityevent",
            name="unit_path",
            field=models.CharField(default="", editable=False, max_length=255),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(
            name='activityevent',
            options={'ordering': ['-at', '-id']},
        ),
        migrations.AlterField(
            model_name='activityevent',
            name='action',
            field=models.CharField(max_length=40, verbose_name='việc'),
        ),
        migrations.AlterField(
            model_name='activityevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người thực hiện'),
        ),
        migrations.AlterField(
            model_name='activityevent',
            name='at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='thời điểm'),
        ),
        migrations.AlterField(
            model_name='activityevent',
            name='changes',
            field=models.JSONField(blank=True, default=dict, verbose_name='thay đổi'),
        ),
        migrations.AlterField(
            model_name='activityevent',
            name='summary',
            field=models.CharField(blank=True, max_length=255, verbose_name='nội dung'),
        ),
        migrations.AddIndex(
            model_name='activityevent',
            index=models.Index(fields=['activity', '-at'], name='activity_event_recent'),
        ),
        migrations.AddIndex(
            model_name='activityevent',
            index=models.Index(fields=['plan', '-at'], name='activity_event_plan_recent'),
        ),
        migrations.RunPython(fill_unit_path, migrations.RunPython.noop, elidable=True),
    ]
