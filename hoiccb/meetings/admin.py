from django.contrib import admin

from hoiccb.meetings.models import Meeting, Task

admin.site.register(Meeting)
admin.site.register(Task)
