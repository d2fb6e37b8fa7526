from django.contrib import admin

from hoiccb.awards.models import AwardForm, AwardRecord, Decision, LegalCitation, Movement, Round

admin.site.register(AwardForm)
admin.site.register(Movement)
admin.site.register(Round)
admin.site.register(Decision)
admin.site.register(AwardRecord)


@admin.register(LegalCitation)
class LegalCitationAdmin(admin.ModelAdmin):
    """The "Căn cứ …" lines of decisions and tờ trình, each in force for a span of dates."""

    list_display = ("text", "valid_from", "valid_to", "applies_to", "order")
    list_editable = ("order",)
    list_filter = ("applies_to",)
