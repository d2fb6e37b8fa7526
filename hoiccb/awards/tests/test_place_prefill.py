"""The place (địa danh) of a decision and of a dossier's submission is prefilled from the unit."""

from hoiccb.awards.documents.selectors import default_place
from hoiccb.org.models import Unit


def test_decision_form_and_dossier_take_the_place_from_the_unit_tree(login, cast, tree, round_):
    Unit.objects.filter(pk=tree["province"].pk).update(place="Lào Cai")
    round_.unit.refresh_from_db()
    page = login(cast["khoi"]).get(f"/thi-dua/dot/{round_.pk}/").content.decode()
    assert 'name="place" value="Lào Cai"' in page
    assert default_place(round_) == "Lào Cai"
