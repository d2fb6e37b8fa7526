"""Yearly registration with exceptions and their reasons, imports of past awards, per-group minimums.

The registration's exceptions move from Django's automatic many-to-many table to a
model of their own (with a reason); rows already there are copied, none is lost.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def copy_exceptions(apps, schema_editor):
    Registration = apps.get_model("awards", "Registration")
    RegistrationException = apps.get_model("awards", "RegistrationException")
    old = Registration.excepted_members.through
    RegistrationException.objects.bulk_create(
        RegistrationException(registration_id=r, member_id=m)
        for r, m in old.objects.values_list("registration_id", "member_id")
    )


def copy_back(apps, schema_editor):
    Registration = apps.get_model("awards", "Registration")
    RegistrationException = apps.get_model("awards", "RegistrationException")
    old = Registration.excepted_members.through
    old.objects.bulk_create(
        old(registration_id=r, member_id=m)
        for r, m in RegistrationException.objects.values_list("registration_id", "member_id")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0002_seed_forms"),
        ("members", "0008_member_imports"),
        ("org", "0002_seed_unit_kinds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="round",
            name="group_minimum",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="tối thiểu mỗi khối"),
        ),
        migrations.CreateModel(
            name="RegistrationException",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("reason", models.CharField(blank=True, max_length=255, verbose_name="lý do")),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="members.member"
                    ),
                ),
                (
                    "registration",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="exceptions",
                        to="awards.registration",
                    ),
                ),
            ],
            options={
                "ordering": ["id"],
                "constraints": [
                    models.UniqueConstraint(fields=("registration", "member"), name="registration_exception_unique")
                ],
            },
        ),
        migrations.RunPython(copy_exceptions, copy_back),
        migrations.RemoveField(model_name="registration", name="excepted_members"),
        migrations.AddField(
            model_name="registration",
            name="excepted_members",
            field=models.ManyToManyField(
                blank=True, related_name="+", through="awards.RegistrationException", to="members.member"
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="registered_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="đăng ký lúc"),
        ),
        migrations.AddField(
            model_name="registration",
            name="registered_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["movement", "year", "unit_path"], name="registration_path"),
        ),
        migrations.CreateModel(
            name="AwardImport",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("unit_path", models.CharField(editable=False, max_length=255)),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="tải lên lúc")),
                ("committed_at", models.DateTimeField(blank=True, null=True, verbose_name="ghi lúc")),
                ("file_name", models.CharField(max_length=255, verbose_name="tên tệp")),
                ("file_sha256", models.CharField(max_length=64, verbose_name="mã băm SHA-256")),
                (
                    "state",
                    models.CharField(
                        choices=[("preview", "Chờ xác nhận"), ("committed", "Đã ghi")],
                        default="preview",
                        max_length=10,
                        verbose_name="trạng thái",
                    ),
                ),
                ("rows", models.JSONField(blank=True, default=list)),
                ("counts", models.JSONField(blank=True, default=dict)),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.unit",
                        verbose_name="đơn vị nhập",
                    ),
                ),
            ],
            options={
                "verbose_name": "lần nhập khen thưởng đã có",
                "verbose_name_plural": "lần nhập khen thưởng đã có",
                "ordering": ["-created_at", "-id"],
                "indexes": [models.Index(fields=["unit_path"], name="award_import_path")],
            },
        ),
        migrations.AddField(
            model_name="awardrecord",
            name="source_import",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="records",
                to="awards.awardimport",
            ),
        ),
    ]
