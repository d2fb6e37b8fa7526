from django.contrib import admin

from hoiccb.awards.models import AwardForm, AwardRecord, Decision, Movement, Round

admin.site.register(AwardForm)
admin.site.register(Movement)
admin.site.register(Round)
admin.site.register(Decision)
admin.site.register(AwardRecord)
