"""The home page lists nominations waiting for the council or for the nominating unit."""

from hoiccb.awards.rounds import services


def test_nominations_waiting_show_on_the_organiser_and_the_unit_home(round_, cast, tree, people, forms, login):
    n = services.nominate(
        actor=cast["coso1"],
        round=round_,
        form=forms["giay-khen-khoi"],
        unit=tree["unit_a"],
        member=people["an"],
        summary="Tốt",
    )
    page = login(cast["coso1"]).get("/").content.decode()
    assert "Đề nghị còn nháp, chưa gửi – Tổng kết phong trào CCB gương mẫu 2019–2024" in page
    assert f"/thi-dua/dot/{round_.pk}/" in page
    services.transition(actor=cast["coso1"], nomination=n, to="submitted")
    page = login(cast["khoi"]).get("/").content.decode()
    assert "Đề nghị chờ đưa ra hội đồng" in page
    # The sibling unit has nothing waiting in this round.
    page = login(cast["coso2"]).get("/").content.decode()
    assert "Tổng kết phong trào" not in page
