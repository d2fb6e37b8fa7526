from django.contrib import admin

from hoiccb.org.models import EmulationCluster, UnitGroup, UnitKind

# The configurable lists: levels of the tree, groups (khối) and emulation clusters.
# Units themselves are changed only through the app's screens, which keep paths and history.
admin.site.register(UnitKind)
admin.site.register(UnitGroup)
admin.site.register(EmulationCluster)
