"""MemberEvent and SensitiveAccess take the audit shape (kind→action, recorded_at→at; user→actor,
accessed_at→at, purpose→summary) and keep a copy of the member's unit path."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_unit_path(apps, schema_editor):
    Member = apps.get_model("members", "Member")
    member_path = Subquery(Member.objects.filter(pk=OuterRef("member_id")).values("unit_path")[:1])
    apps.get_model("members", "MemberEvent").objects.update(unit_path=member_path)
    apps.get_model("members", "SensitiveAccess").objects.update(unit_path=member_path)


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("members", "0010_sqlite_covering_name_index"),
        ("org", "0003_unit_event_audit_shape"),
    ]

    operations = [
        # The index names the renamed column: drop it here, add it again below.
        migrations.RemoveIndex(model_name="memberevent", name="member_event_recent"),
        migrations.RenameField(model_name="memberevent", old_name="kind", new_name="action"),
        migrations.RenameField(model_name="memberevent", old_name="recorded_at", new_name="at"),
        migrations.RenameField(model_name="sensitiveaccess", old_name="user", new_name="actor"),
        migrations.RenameField(model_name="sensitiveaccess", old_name="accessed_at", new_name="at"),
        migrations.RenameField(model_name="sensitiveaccess", old_name="purpose", new_name="summary"),
        migrations.AddField(
            model_name="memberevent",
            name="unit_path",
            field=models.CharField(default="", editable=False, max_length=255),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="sensitiveaccess",
            name="unit_path",
            field=models.CharField(default="", editable=False, max_length=255),
            preserve_default=False,
        ),
        # Every existing line is a view of the member's page; the purpose moved to `summary`.
        migrations.AddField(
            model_name="sensitiveaccess",
            name="action",
            field=models.CharField(default="viewed", max_length=40, verbose_name="việc"),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(
            name='memberevent',
            options={'ordering': ['-at', '-id'], 'verbose_name': 'lịch sử hội viên', 'verbose_name_plural': 'lịch sử hội viên'},
        ),
        migrations.AlterModelOptions(
            name='sensitiveaccess',
            options={'ordering': ['-at', '-id'], 'verbose_name': 'lượt xem dữ liệu nhạy cảm', 'verbose_name_plural': 'lượt xem dữ liệu nhạy cảm'},
        ),
        migrations.AddField(
            model_name='memberevent',
            name='summary',
            field=models.CharField(blank=True, max_length=255, verbose_name='nội dung'),
        ),
        migrations.AddField(
            model_name='sensitiveaccess',
            name='changes',
            field=models.JSONField(blank=True, default=dict, verbose_name='thay đổi'),
        ),
        migrations.AlterField(
            model_name='memberevent',
            name='action',
            field=models.CharField(choices=[('admitted', 'Kết nạp / tiếp nhận'), ('updated', 'Sửa hồ sơ'), ('transferred', 'Chuyển sinh hoạt'), ('transferred_out', 'Chuyển ra ngoài'), ('left', 'Thôi sinh hoạt'), ('died', 'Từ trần'), ('card_issued', 'Cấp thẻ hội viên'), ('unit_merged', 'Đơn vị sáp nhập'), ('reinstated', 'Sinh hoạt trở lại')], max_length=40, verbose_name='sự kiện'),
        ),
        migrations.AlterField(
            model_name='memberevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người thực hiện'),
        ),
        migrations.AlterField(
            model_name='memberevent',
            name='at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='thời điểm'),
        ),
        migrations.AlterField(
            model_name='sensitiveaccess',
            name='actor',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người xem'),
        ),
        migrations.AlterField(
            model_name='sensitiveaccess',
            name='at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='thời điểm'),
        ),
        migrations.AlterField(
            model_name='sensitiveaccess',
            name='summary',
            field=models.CharField(blank=True, max_length=255, verbose_name='nội dung'),
        ),
        migrations.AddIndex(
            model_name='memberevent',
            index=models.Index(fields=['member', '-at'], name='member_event_recent'),
        ),
        migrations.AddIndex(
            model_name='memberevent',
            index=models.Index(fields=['unit_path', '-at'], name='member_event_path'),
        ),
        migrations.AddIndex(
            model_name='sensitiveaccess',
            index=models.Index(fields=['member', '-at'], name='sensitive_access_recent'),
        ),
        migrations.AddIndex(
            model_name='sensitiveaccess',
            index=models.Index(fields=['unit_path', '-at'], name='sensitive_access_path'),
        ),
        migrations.RunPython(fill_unit_path, migrations.RunPython.noop, elidable=True),
    ]
