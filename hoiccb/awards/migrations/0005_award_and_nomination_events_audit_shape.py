"""AwardEvent and NominationEvent take the audit shape.

NominationEvent: note→summary, an action code (filled from the states of old rows), and a
copy of the nomination's unit path; AwardEvent: a copy of its unit's path ("" without one).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When


def fill_unit_path_and_action(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    AwardEvent = apps.get_model("awards", "AwardEvent")
    Nomination = apps.get_model("awards", "Nomination")
    NominationEvent = apps.get_model("awards", "NominationEvent")
    AwardEvent.objects.filter(unit__isnull=False).update(
        unit_path=Subquery(Unit.objects.filter(pk=OuterRef("unit_id")).values("path")[:1])
    )
    # Old rows are told apart by their states: only a vote reaches approved or rejected,
    # and only the upward dossier writes a step that keeps the state.
    NominationEvent.objects.update(
        unit_path=Subquery(Nomination.objects.filter(pk=OuterRef("nomination_id")).values("unit_path")[:1]),
        action=Case(
            When(from_state="", then=Value("created")),
            When(from_state=F("to_state"), then=Value("dossier_sent")),
            When(Q(to_state__in=["approved", "rejected"]), then=Value("voted")),
            default=Value("moved"),
        ),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0004_certificate_jobs_and_dossiers"),
        ("org", "0003_unit_event_audit_shape"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="nominationevent", old_name="note", new_name="summary"),
        migrations.AddField(
            model_name="nominationevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("created", "Lập đề nghị"),
                    ("moved", "Chuyển bước"),
                    ("voted", "Biểu quyết"),
                    ("dossier_sent", "Gửi hồ sơ cấp trên"),
                ],
                default="moved",
                max_length=40,
                verbose_name="việc",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="nominationevent",
            name="changes",
            field=models.JSONField(blank=True, default=dict, verbose_name="thay đổi"),
        ),
        migrations.AddField(
            model_name="nominationevent",
            name="unit_path",
            field=models.CharField(default="", editable=False, max_length=255),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="awardevent",
            name="unit_path",
            field=models.CharField(default="", editable=False, max_length=255),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(
            name="nominationevent",
            options={"ordering": ["-at", "-id"]},
        ),
        migrations.AlterField(
            model_name="nominationevent",
            name="summary",
            field=models.CharField(blank=True, max_length=255, verbose_name="nội dung"),
        ),
        migrations.AlterField(
            model_name="nominationevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="người thực hiện",
            ),
        ),
        migrations.AlterField(
            model_name="nominationevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="thời điểm"),
        ),
        migrations.AlterField(
            model_name="awardevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="người thực hiện",
            ),
        ),
        migrations.AlterField(
            model_name="awardevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="thời điểm"),
        ),
        migrations.AlterField(
            model_name="awardevent",
            name="action",
            field=models.CharField(max_length=40, verbose_name="việc"),
        ),
        migrations.AlterField(
            model_name="awardevent",
            name="summary",
            field=models.CharField(blank=True, max_length=255, verbose_name="nội dung"),
        ),
        migrations.AlterField(
            model_name="awardevent",
            name="changes",
            field=models.JSONField(blank=True, default=dict, verbose_name="thay đổi"),
        ),
        migrations.AddIndex(
            model_name="nominationevent",
            index=models.Index(fields=["nomination", "at"], name="nomination_event_steps"),
        ),
        migrations.RunPython(fill_unit_path_and_action, migrations.RunPython.noop, elidable=True),
    ]
