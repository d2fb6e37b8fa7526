import re

from django.urls import reverse

from hoiccb.members.models import EventKind, Member
from hoiccb.org.models import OfficerPosition, Unit, UnitStatus


def test_tree_shows_subtree_member_counts(client, cast, tree, members):
    client.force_login(cast["khoi"])
    body = client.get(reverse("org:tree")).content.decode()
    rows = dict(re.findall(r'>([^<>]+)</a>(?:[^<]|<(?!/tr>))*?<td class="text-end">(\d+)</td>', body))
    assert rows["Hội CCB Khối cơ quan và doanh nghiệp tỉnh"] == "3"
    assert rows["Hội CCB Sở Tài chính"] == "2"
    assert rows["Chi hội 1 Sở Tài chính"] == "1"
    assert rows["Hội CCB Sở Y tế"] == "1"
    assert "Hội CCB tỉnh" not in rows  # above the user's unit


def test_unit_page_lists_officers_branches_and_members(client, cast, tree, members):
    client.force_login(cast["coso1"])
    client.post(reverse("org:term_create", args=[tree["unit_a"].pk]), {"start_year": 2022, "end_year": 2027})
    response = client.post(
        reverse("org:officer_create", args=[tree["unit_a"].pk]),
        {
            "term": tree["unit_a"].terms.get().pk,
            "member": members["an"].pk,
            "role": "chu_tich",
            "start_date": "01/07/2022",
        },
    )
    assert response.status_code == 302
    body = client.get(reverse("org:detail", args=[tree["unit_a"].pk])).content.decode()
    assert "Chủ tịch</strong>: <a" in body and "Lê Thị Ân" in body
    assert "Chi hội 1 Sở Tài chính" in body and "Nguyễn Văn Hùng" in body
    # Ending the position from the unit page.
    position = OfficerPosition.objects.get()
    client.post(reverse("org:officer_end", args=[position.pk]), {"end_date": "01/01/2025"})
    position.refresh_from_db()
    assert position.end_date is not None


def test_create_edit_move_and_merge_through_pages(client, cast, tree, members, kinds):
    client.force_login(cast["khoi"])
    form = client.get(reverse("org:create") + f"?cap-tren={tree['unit_b'].pk}").context["form"]
    assert form.initial["kind"] == kinds["chi-hoi"]
    response = client.post(
        reverse("org:create"),
        {"parent": tree["unit_b"].pk, "kind": kinds["chi-hoi"].pk, "code": "B1", "name": "Chi hội 1 Sở Y tế"},
    )
    branch = Unit.objects.get(code="B1")
    assert response.status_code == 302 and branch.parent == tree["unit_b"]

    response = client.post(
        reverse("org:edit", args=[branch.pk]),
        {"kind": kinds["chi-hoi"].pk, "code": "B1", "name": "Chi hội Khám bệnh", "established_on": "05/03/2015"},
    )
    assert response.status_code == 302
    assert branch.events.get(action="updated").changes["Tên đơn vị"] == ["Chi hội 1 Sở Y tế", "Chi hội Khám bệnh"]

    assert client.post(reverse("org:move", args=[branch.pk]), {"new_parent": tree["unit_a"].pk}).status_code == 302
    assert Unit.objects.get(pk=branch.pk).parent == tree["unit_a"]

    response = client.post(
        reverse("org:merge", args=[tree["unit_b"].pk]), {"into": tree["unit_a"].pk, "on": "01/07/2025", "confirm": "on"}
    )
    assert response.status_code == 302
    assert Unit.objects.get(pk=tree["unit_b"].pk).status == UnitStatus.MERGED
    hung_b = Member.objects.get(pk=members["hung_b"].pk)
    assert hung_b.unit == tree["unit_a"]
    assert hung_b.events.get(action=EventKind.UNIT_MERGED).from_unit == tree["unit_b"]
    # The merged unit's page says where it went.
    body = client.get(reverse("org:detail", args=[tree["unit_b"].pk])).content.decode()
    assert "Đã sáp nhập" in body and "kế thừa" in body


def test_bad_unit_input_gets_messages(client, cast, tree, kinds):
    client.force_login(cast["khoi"])
    response = client.post(
        reverse("org:create"), {"parent": tree["bloc"].pk, "kind": kinds["co-so"].pk, "code": "A", "name": ""}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "name" in errors and "code" in errors  # empty name, code already used
    response = client.post(reverse("org:move", args=[tree["unit_a"].pk]), {"new_parent": tree["branch_a"].pk})
    assert response.status_code == 200  # its own branch is not offered as a parent
    assert Unit.objects.get(pk=tree["unit_a"].pk).parent == tree["bloc"]
    response = client.post(
        reverse("org:merge", args=[tree["unit_a"].pk]), {"into": tree["unit_b"].pk, "on": "01/07/2025"}
    )
    assert response.status_code == 200 and "confirm" in response.context["form"].errors


def test_officer_cannot_edit_own_unit_record_but_can_add_branches(client, cast, tree, kinds):
    client.force_login(cast["coso1"])
    assert client.get(reverse("org:edit", args=[tree["unit_a"].pk])).status_code == 404
    assert client.get(reverse("org:merge", args=[tree["unit_a"].pk])).status_code == 404
    assert client.get(reverse("org:edit", args=[tree["branch_a"].pk])).status_code == 200
    form = client.get(reverse("org:create")).context["form"]
    assert set(form.fields["parent"].queryset) == {tree["unit_a"], tree["branch_a"]}


def test_officer_form_picks_a_member_by_search_and_refuses_one_outside_the_unit(client, cast, tree, members):
    unit = tree["unit_a"]
    client.force_login(cast["khoi"])
    client.post(reverse("org:term_create", args=[unit.pk]), {"start_year": 2022, "end_year": 2027})
    url = reverse("org:officer_create", args=[unit.pk])
    page = client.get(url).content.decode()
    # The search picker, not a long select of members.
    assert 'name="member__q"' in page and f'hx-get="{reverse("members:picker")}' in page
    assert '<select name="member"' not in page and "Nguyễn Văn Hùng" not in page
    # Without JavaScript: typing a name and submitting brings the matches of the unit's subtree back as choices.
    data = {"term": unit.terms.get().pk, "role": "pho_chu_tich", "start_date": "01/07/2022"}
    typed = client.post(url, {**data, "member__q": "hung"}).content.decode()
    assert f'value="{members["hung"].pk}"' in typed and "Nguyễn Văn Hùng" in typed
    assert "Trần Văn Hưng" not in typed  # unit B's namesake is outside this unit
    # A member of another unit (though in the bloc chairman's scope) is refused, in Vietnamese.
    refused = client.post(url, {**data, "member": members["hung_b"].pk}).content.decode()
    assert "Hội viên đã chọn không có trong phạm vi của bạn." in refused
    assert not OfficerPosition.objects.exists()
    response = client.post(url, {**data, "member": members["hung"].pk})
    assert response.status_code == 302
    position = OfficerPosition.objects.get()
    assert position.member == members["hung"] and position.unit == unit and position.role == "pho_chu_tich"
