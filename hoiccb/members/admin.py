from django.contrib import admin

from hoiccb.members.models import Theatre

admin.site.register(Theatre)
