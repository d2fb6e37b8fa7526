from django.contrib import admin

from hoiccb.news.models import Article, ArticlePhoto, Category, Directive, DirectiveReceipt


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    prepopulated_fields = {"slug": ["name"]}


class PhotoInline(admin.TabularInline):
    model = ArticlePhoto
    extra = 0
    fields = ["caption", "order", "width", "height"]
    readonly_fields = ["width", "height"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    # Writes belong to the services (sanitising, audit, cache); the admin only reads.
    list_display = ["title", "unit", "status", "publish_at"]
    list_filter = ["status", "category"]
    search_fields = ["search_text"]
    readonly_fields = [f.name for f in Article._meta.fields]
    inlines = [PhotoInline]

    def has_add_permission(self, request):
        return False


class ReceiptInline(admin.TabularInline):
    model = DirectiveReceipt
    extra = 0
    readonly_fields = ["unit", "state", "opened_at", "confirmed_at", "confirmed_by", "reminded_at", "reminder_count"]


@admin.register(Directive)
class DirectiveAdmin(admin.ModelAdmin):
    list_display = ["number", "issued_on", "summary", "issuing_unit"]
    readonly_fields = [f.name for f in Directive._meta.fields]
    inlines = [ReceiptInline]

    def has_add_permission(self, request):
        return False
