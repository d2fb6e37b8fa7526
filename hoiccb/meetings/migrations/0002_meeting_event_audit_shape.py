"""MeetingEvent takes the audit shape: a copy of the meeting's unit path (its columns already had the names)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_unit_path(apps, schema_editor):
    Meeting = apps.get_model("meetings", "Meeting")
    MeetingEvent = apps.get_model("meetings", "MeetingEvent")
    MeetingEvent.objects.update(
        unit_path=Subquery(Meeting.objects.filter(pk=OuterRef("meeting_id")).values("unit_path")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("meetings", "0001_initial"),
        ("org", "0003_unit_event_audit_shape"),
    ]

    operations = [
        migrations.AddField(
            model_name="meetingevent",
            name="unit_path",
            field=models.CharField(default="", editable=False, max_length=255),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='meetingevent',
            name='changes',
            field=models.JSONField(blank=True, default=dict, verbose_name='thay đổi'),
        ),
        migrations.AlterField(
            model_name='meetingevent',
            name='action',
            field=models.CharField(max_length=40, verbose_name='việc'),
        ),
        migrations.AlterField(
            model_name='meetingevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người thực hiện'),
        ),
        migrations.AlterField(
            model_name='meetingevent',
            name='at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='thời điểm'),
        ),
        migrations.AlterField(
            model_name='meetingevent',
            name='summary',
            field=models.CharField(blank=True, max_length=255, verbose_name='nội dung'),
        ),
        migrations.AddIndex(
            model_name='meetingevent',
            index=models.Index(fields=['meeting', '-at'], name='meeting_event_recent'),
        ),
        migrations.RunPython(fill_unit_path, migrations.RunPython.noop, elidable=True),
    ]
