"""The place of a unit's documents (địa danh): edited on the unit, inherited down the tree."""

from django.test import override_settings

from hoiccb.org.models import Unit
from hoiccb.org.selectors import place_of


@override_settings(DOCUMENT_DEFAULT_PLACE="Hà Nội")
def test_place_is_the_units_own_else_the_nearest_ancestors_else_the_setting(tree):
    assert place_of(tree["branch_a"]) == "Hà Nội"
    Unit.objects.filter(pk=tree["province"].pk).update(place="Yên Bái")
    assert place_of(tree["branch_a"]) == "Yên Bái"
    Unit.objects.filter(pk=tree["bloc"].pk).update(place="Lào Cai")
    assert place_of(tree["branch_a"]) == "Lào Cai"  # the nearest ancestor, not the root
    Unit.objects.filter(pk=tree["unit_b"].pk).update(place="Văn Chấn")
    assert place_of(Unit.objects.get(pk=tree["unit_b"].pk)) == "Văn Chấn"


def test_place_is_edited_on_the_unit_form_and_shown(cast, tree, login):
    bloc = tree["bloc"]
    client = login(cast["admin"])
    assert 'name="place"' in client.get(f"/don-vi/{bloc.pk}/sua/").content.decode()
    response = client.post(
        f"/don-vi/{bloc.pk}/sua/",
        {"kind": bloc.kind_id, "code": bloc.code, "name": bloc.name, "place": " Lào\u200b Cai "},
    )
    assert response.status_code == 302
    assert Unit.objects.get(pk=bloc.pk).place == "Lào Cai"
    assert "Lào Cai" in client.get(f"/don-vi/{bloc.pk}/").content.decode()
