"""Yearly registration (đăng ký thi đua): services, pages, access, and the member's history."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoiccb.awards.models import AwardEvent, Registration, RegistrationException
from hoiccb.awards.registration import selectors as registration_selectors
from hoiccb.awards.registration import services as registration_services
from hoiccb.awards.rounds.selectors import member_counts
from hoiccb.conftest import admit
from hoiccb.members.models import MemberStatus
from hoiccb.org import services as org_services

REASON = "Tuổi cao, sức yếu"


def url(movement, year=2024):
    return f"/thi-dua/phong-trao/{movement.pk}/dang-ky/?year={year}"


def test_a_unit_registers_all_its_members_then_names_the_exceptions(cast, tree, movement, people):
    reg = registration_services.register(actor=cast["coso1"], movement=movement, unit=tree["unit_a"], year=2024)
    assert (reg.registered_by, reg.unit_path) == (cast["coso1"], tree["unit_a"].path)
    (row,), _totals = registration_selectors.unit_rows(movement, 2024, [tree["unit_a"]])
    # Hùng of the branch registers with the grassroots unit: three members.
    assert (row.members, row.excepted, row.registered_members) == (3, 0, 3)

    registration_services.except_member(
        actor=cast["coso1"], registration=reg, member=people["binh"], reason=f"  {REASON} "
    )
    (row,), _totals = registration_selectors.unit_rows(movement, 2024, [tree["unit_a"]])
    assert (row.registered_members, row.excepted) == (2, 1)
    assert reg.exceptions.get().reason == REASON
    # Saying it again changes the reason, not the count.
    registration_services.except_member(
        actor=cast["coso1"], registration=reg, member=people["binh"], reason="Ốm dài ngày"
    )
    assert reg.exceptions.get().reason == "Ốm dài ngày"

    registration_services.include_member(actor=cast["coso1"], registration=reg, member=people["binh"])
    (row,), _ = registration_selectors.unit_rows(movement, 2024, [tree["unit_a"]])
    assert row.registered_members == 3
    actions = list(AwardEvent.objects.filter(unit=tree["unit_a"]).values_list("action", flat=True))
    assert sorted(actions) == sorted(
        ["registration", "registration_except", "registration_except", "registration_include"]
    )
    paths = AwardEvent.objects.filter(unit=tree["unit_a"]).values_list("unit_path", flat=True)
    assert set(paths) == {tree["unit_a"].path}

    with pytest.raises(ValidationError, match="đã đăng ký thi đua năm 2024"):
        registration_services.register(actor=cast["khoi"], movement=movement, unit=tree["unit_a"], year=2024)
    assert Registration.objects.count() == 1


def test_a_member_who_left_no_longer_counts_as_an_exception(cast, tree, movement, people):
    reg = registration_services.register(actor=cast["coso1"], movement=movement, unit=tree["unit_a"], year=2024)
    registration_services.except_member(actor=cast["coso1"], registration=reg, member=people["binh"], reason=REASON)
    people["binh"].status = MemberStatus.DECEASED
    people["binh"].save(update_fields=["status"])
    (row,), _ = registration_selectors.unit_rows(movement, 2024, [tree["unit_a"]])
    assert (row.members, row.excepted, row.registered_members) == (2, 0, 2)


def test_registration_refusals(cast, tree, movement, people):
    with pytest.raises(ValidationError, match="ngoài kỳ"):
        registration_services.register(actor=cast["coso1"], movement=movement, unit=tree["unit_a"], year=2025)
    with pytest.raises(ValidationError, match="Chỉ Hội CCB cơ sở"):
        registration_services.register(actor=cast["coso1"], movement=movement, unit=tree["branch_a"], year=2024)
    with pytest.raises(PermissionDenied):
        registration_services.register(actor=cast["coso1"], movement=movement, unit=tree["unit_b"], year=2024)
    with pytest.raises(PermissionDenied):  # a committee member only reads
        registration_services.register(actor=cast["uyvien"], movement=movement, unit=tree["unit_b"], year=2024)
    reg = registration_services.register(actor=cast["coso1"], movement=movement, unit=tree["unit_a"], year=2024)
    with pytest.raises(ValidationError, match="không thuộc đơn vị"):
        registration_services.except_member(actor=cast["coso1"], registration=reg, member=people["hai"], reason="")
    with pytest.raises(ValidationError, match="Lý do dài quá"):
        registration_services.except_member(
            actor=cast["coso1"], registration=reg, member=people["an"], reason="x" * 300
        )
    with pytest.raises(PermissionDenied):
        registration_services.withdraw(actor=cast["coso2"], registration=reg)
    assert not RegistrationException.objects.exists()


def test_chair_registers_in_one_click_and_picks_exceptions(login, cast, tree, movement, people):
    client = login(cast["coso1"])
    page = client.get(url(movement)).content.decode()
    assert "Hội CCB Sở Tài chính" in page and "Chưa đăng ký" in page
    assert "Hội CCB Sở Y tế" not in page and "registration-totals" not in page  # one unit: no totals
    response = client.post(url(movement), {"unit": tree["unit_a"].pk, "year": 2024})
    reg = Registration.objects.get(unit=tree["unit_a"], year=2024)
    assert response.status_code == 302 and response["Location"] == f"/thi-dua/dang-ky/{reg.pk}/"

    page = client.get(f"/thi-dua/dang-ky/{reg.pk}/").content.decode()
    assert "<strong>3</strong>/3 hội viên" in page and "Nguyễn Văn Hùng" in page
    # Search as you type: htmx asks for the rows alone; without JS the same URL gives the page.
    rows = client.get(f"/thi-dua/dang-ky/{reg.pk}/", {"q": "pham van"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Phạm Văn Bình" in rows and "Lê Thị Ân" not in rows and "<html" not in rows
    full = client.get(f"/thi-dua/dang-ky/{reg.pk}/", {"q": "pham van"}).content.decode()
    assert "<html" in full and "Phạm Văn Bình" in full and "Lê Thị Ân" not in full

    data = {"member": people["binh"].pk, "action": "except", "reason": REASON, "q": "pham van"}
    row = client.post(f"/thi-dua/dang-ky/{reg.pk}/hoi-vien/", data, HTTP_HX_REQUEST="true").content.decode()
    assert "Không đăng ký" in row and REASON in row and "Đăng ký lại" in row
    assert 'id="registration-counts" class="mb-3" hx-swap-oob="true"' in row and "<strong>2</strong>/3" in row
    assert reg.exceptions.get().member == people["binh"]

    # Without JavaScript: a plain POST, then back to the page with the search kept.
    response = client.post(
        f"/thi-dua/dang-ky/{reg.pk}/hoi-vien/", {"member": people["binh"].pk, "action": "include", "q": "pham"}
    )
    assert response.status_code == 302 and response["Location"] == f"/thi-dua/dang-ky/{reg.pk}/?q=pham"
    assert not reg.exceptions.exists()
    # A member of another unit cannot be named, even by a forged POST.
    forged = client.post(f"/thi-dua/dang-ky/{reg.pk}/hoi-vien/", {"member": people["hai"].pk, "action": "except"})
    assert forged.status_code == 404 and not reg.exceptions.exists()


def test_bloc_sees_totals_and_registers_on_behalf_of_a_unit(login, cast, tree, movement, people):
    client = login(cast["khoi"])
    response = client.get(url(movement))
    totals = response.context["totals"]
    assert (totals.units_registered, totals.units, totals.members_registered, totals.members) == (0, 2, 0, 4)
    response = client.post(url(movement), {"unit": tree["unit_b"].pk, "year": 2024})
    assert response.status_code == 302 and response["Location"] == url(movement)  # back to the list
    page = client.get(url(movement)).content.decode()
    assert '<div class="fs-4 fw-bold">1/2</div>' in page and '<div class="fs-4 fw-bold">1/4</div>' in page
    assert Registration.objects.get().registered_by == cast["khoi"]
    # Another year is another registration.
    assert client.get(url(movement, 2023)).context["totals"].units_registered == 0


def test_registration_pages_refuse_outsiders(login, cast, tree, movement, people):
    reg_b = registration_services.register(actor=cast["coso2"], movement=movement, unit=tree["unit_b"], year=2024)
    registration_services.except_member(
        actor=cast["coso2"], registration=reg_b, member=people["hai"], reason="Bí mật B"
    )
    client = login(cast["coso1"])
    assert client.get(f"/thi-dua/dang-ky/{reg_b.pk}/").status_code == 404
    member_url = f"/thi-dua/dang-ky/{reg_b.pk}/hoi-vien/"
    assert client.post(member_url, {"member": people["hai"].pk, "action": "include"}).status_code == 404
    assert client.post(f"/thi-dua/dang-ky/{reg_b.pk}/huy/").status_code == 404
    assert client.post(url(movement), {"unit": tree["unit_b"].pk}).status_code == 404
    assert "Bí mật B" not in client.get(url(movement)).content.decode()
    # A committee member reads the list and the registration but cannot register or except.
    viewer = login(cast["uyvien"])
    page = viewer.get(url(movement)).content.decode()
    assert "Hội CCB Sở Y tế" in page and "Đăng ký thi đua cho" not in page
    assert viewer.post(url(movement), {"unit": tree["unit_a"].pk}).status_code == 404
    assert viewer.get(f"/thi-dua/dang-ky/{reg_b.pk}/").status_code == 200
    assert viewer.post(member_url, {"member": people["hai"].pk, "action": "include"}).status_code == 404
    assert reg_b.exceptions.count() == 1 and Registration.objects.count() == 1


def test_withdrawing_removes_the_registration_and_its_exceptions(login, cast, tree, movement, people):
    reg = registration_services.register(actor=cast["coso1"], movement=movement, unit=tree["unit_a"], year=2024)
    registration_services.except_member(actor=cast["coso1"], registration=reg, member=people["an"], reason=REASON)
    page = login(cast["coso1"]).get(f"/thi-dua/dang-ky/{reg.pk}/").content.decode()
    assert 'data-confirm="Hủy đăng ký thi đua năm 2024 của Hội CCB Sở Tài chính?' in page and "onsubmit" not in page
    response = login(cast["coso1"]).post(f"/thi-dua/dang-ky/{reg.pk}/huy/")
    assert response.status_code == 302 and response["Location"] == url(movement)
    assert not Registration.objects.exists() and not RegistrationException.objects.exists()
    event = AwardEvent.objects.get(action="registration_withdraw")
    # The reasons are kept in the history, with who was excepted.
    assert event.changes["exceptions"] == [{"member_id": people["an"].pk, "member": "Lê Thị Ân", "reason": REASON}]
    assert "1 ngoại lệ" in event.summary


def test_member_history_shows_the_registration_of_each_year(login, cast, tree, movement, people):
    reg = registration_services.register(actor=cast["coso1"], movement=movement, unit=tree["unit_a"], year=2024)
    registration_services.register(actor=cast["coso1"], movement=movement, unit=tree["unit_a"], year=2023)
    registration_services.except_member(actor=cast["coso1"], registration=reg, member=people["binh"], reason=REASON)
    years = {y.year: (y.state, y.reason) for y in registration_selectors.member_years(people["binh"])}
    assert years[2024] == ("excepted", REASON) and years[2023] == ("registered", "")
    assert years[2022] == ("unit_absent", "")
    client = login(cast["coso1"])
    page = client.get(f"/thi-dua/hoi-vien/{people['binh'].pk}/").content.decode()
    section = page[page.index('id="registration-years"') :]
    assert '2024 · <span class="badge text-bg-warning">Không đăng ký</span>' in section and REASON in section
    assert '2023 · <span class="badge text-bg-success">Đã đăng ký</span>' in section
    assert "Đơn vị chưa đăng ký" in section
    # The branch's member registered with the grassroots unit.
    assert {y.year: y.state for y in registration_selectors.member_years(people["hung"])}[2024] == "registered"


def test_years_before_joining_are_not_shown(cast, tree, movement):
    from hoiccb.lib.dates import PartialDate

    newcomer = admit(cast["khoi"], tree["unit_a"], "Đỗ Văn Mới", joined_on=PartialDate(2023, 3))
    assert [y.year for y in registration_selectors.member_years(newcomer)] == [2024, 2023]


def test_list_page_queries_do_not_grow_with_units(login, cast, tree, kinds, movement, people):
    client = login(cast["khoi"])
    registration_services.register(actor=cast["khoi"], movement=movement, unit=tree["unit_a"], year=2024)
    client.get(url(movement))  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        client.get(url(movement))
    for n in range(4):
        unit = org_services.unit_create(
            actor=None, parent=tree["bloc"], kind=kinds["co-so"], code=f"X{n}", name=f"Hội CCB đơn vị {n}"
        )
        admit(cast["khoi"], unit, f"Hội Viên Số {n}")
        reg = registration_services.register(actor=cast["khoi"], movement=movement, unit=unit, year=2024)
        registration_services.except_member(actor=cast["khoi"], registration=reg, member=unit.members.get(), reason="")
    with CaptureQueriesContext(connection) as large:
        response = client.get(url(movement))
    assert len(large) == len(small)
    assert response.context["totals"].units == 6


def test_member_counts_cover_units_of_several_blocs(cast, tree, kinds, people):
    other_bloc = org_services.unit_create(
        actor=None, parent=tree["province"], kind=kinds["khoi"], code="K2", name="Hội CCB Khối doanh nghiệp"
    )
    unit_c = org_services.unit_create(actor=None, parent=other_bloc, kind=kinds["co-so"], code="C", name="Hội CCB C")
    admit(cast["admin"], unit_c, "Vũ Văn Cường")
    assert member_counts([tree["unit_a"], tree["unit_b"], unit_c]) == {
        tree["unit_a"].pk: 3,
        tree["unit_b"].pk: 1,
        unit_c.pk: 1,
    }
