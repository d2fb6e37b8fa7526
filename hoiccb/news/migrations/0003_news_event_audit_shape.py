"""NewsEvent takes the audit shape: kind→action, recorded_at→at, a summary, and a copy of the
publishing unit's path (the article's unit, or the directive's issuer)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill_unit_path(apps, schema_editor):
    Article = apps.get_model("news", "Article")
    Directive = apps.get_model("news", "Directive")
    apps.get_model("news", "NewsEvent").objects.update(
        unit_path=Coalesce(
            Subquery(Article.objects.filter(pk=OuterRef("article_id")).values("unit__path")[:1]),
            Subquery(Directive.objects.filter(pk=OuterRef("directive_id")).values("issuing_unit__path")[:1]),
            models.Value(""),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("news", "0002_search_trigram_index"),
        ("org", "0003_unit_event_audit_shape"),
    ]

    operations = [
        migrations.RenameField(model_name="newsevent", old_name="kind", new_name="action"),
        migrations.RenameField(model_name="newsevent", old_name="recorded_at", new_name="at"),
        migrations.AddField(
            model_name="newsevent",
            name="unit_path",
            field=models.CharField(default="", editable=False, max_length=255),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(
            name='newsevent',
            options={'ordering': ['-at', '-id']},
        ),
        migrations.AddField(
            model_name='newsevent',
            name='summary',
            field=models.CharField(blank=True, max_length=255, verbose_name='nội dung'),
        ),
        migrations.AlterField(
            model_name='newsevent',
            name='action',
            field=models.CharField(choices=[('created', 'Tạo'), ('updated', 'Sửa'), ('published', 'Đăng'), ('scheduled', 'Hẹn giờ đăng'), ('withdrawn', 'Gỡ'), ('photo_added', 'Thêm ảnh'), ('photo_removed', 'Xóa ảnh'), ('issued', 'Gửi văn bản'), ('opened', 'Tải văn bản'), ('confirmed', 'Xác nhận đã nhận'), ('reminded', 'Nhắc nơi chưa xác nhận')], max_length=40, verbose_name='việc'),
        ),
        migrations.AlterField(
            model_name='newsevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người thực hiện'),
        ),
        migrations.AlterField(
            model_name='newsevent',
            name='at',
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='thời điểm'),
        ),
        migrations.AlterField(
            model_name='newsevent',
            name='changes',
            field=models.JSONField(blank=True, default=dict, verbose_name='thay đổi'),
        ),
        migrations.AlterField(
            model_name='newsevent',
            name='note',
            field=models.TextField(blank=True, verbose_name='ghi chú'),
        ),
        migrations.AddIndex(
            model_name='newsevent',
            index=models.Index(fields=['article', '-at'], name='news_event_article_recent'),
        ),
        migrations.AddIndex(
            model_name='newsevent',
            index=models.Index(fields=['directive', '-at'], name='news_event_directive_recent'),
        ),
        migrations.RunPython(fill_unit_path, migrations.RunPython.noop, elidable=True),
    ]
