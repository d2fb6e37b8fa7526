"""Rules of activities, gifts and inspections, through their services and selectors."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from hoiccb.activities import inspection_selectors, selectors, services
from hoiccb.activities.models import Activity, ActivityEvent, Attachment, FollowUp, Gift, Occasion, RecommendationStatus
from hoiccb.activities.tests.conftest import docx_bytes, give, make_activity, make_round, pdf_bytes, png_bytes
from hoiccb.org import services as org_services

pytestmark = pytest.mark.django_db


def test_chair_records_for_own_unit_only(cast, tree, act_kinds):
    activity = make_activity(
        cast["coso1"], tree["branch_a"], act_kinds["tuyen-truyen"], cost=500_000, funding_source="quy_hoi"
    )
    assert activity.unit_path == tree["branch_a"].path
    assert activity.events.get().action == "activity_created"
    with pytest.raises(PermissionDenied):
        make_activity(cast["coso1"], tree["unit_b"], act_kinds["tuyen-truyen"])
    with pytest.raises(PermissionDenied):  # a committee member reads, does not record
        make_activity(cast["uyvien"], tree["unit_a"], act_kinds["tuyen-truyen"])
    with pytest.raises(PermissionDenied):
        services.activity_update(actor=cast["coso2"], activity=activity, title="Đổi tên")


def test_activity_rules(cast, tree, act_kinds):
    with pytest.raises(ValidationError) as exc:
        make_activity(
            cast["khoi"],
            tree["unit_a"],
            act_kinds["ve-nguon"],
            start=datetime.date(2024, 4, 10),
            end_date=datetime.date(2024, 4, 8),
        )
    assert "Ngày kết thúc phải từ ngày bắt đầu trở đi." in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        make_activity(cast["khoi"], tree["unit_a"], act_kinds["an-sinh"])
    assert "occasion" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        make_activity(cast["khoi"], tree["unit_a"], act_kinds["ve-nguon"], cost=1_000_000)
    assert "funding_source" in exc.value.message_dict
    round_ = make_round(cast["khoi"], tree["unit_a"], act_kinds)
    assert round_.occasion_year == 2024


def test_update_keeps_gift_copies_in_step_and_writes_history(cast, tree, act_kinds):
    round_ = make_round(
        cast["coso1"], tree["unit_a"], act_kinds, start=datetime.date(2024, 7, 20), occasion=Occasion.TET
    )
    gift = give(cast["coso1"], round_, "Hà Thị Lan", "Tổ 5, phường Đồng Tâm", 500_000)
    services.activity_update(
        actor=cast["coso1"], activity=round_, occasion=Occasion.WAR_INVALIDS_DAY, title="Thăm 27/7"
    )
    gift.refresh_from_db()
    assert gift.occasion == Occasion.WAR_INVALIDS_DAY
    event = round_.events.filter(action="activity_updated").get()
    assert event.changes["Dịp"] == ["Tết Nguyên đán", "27/7 – Ngày Thương binh, Liệt sĩ"]


def test_moving_a_unit_moves_its_activity_copies(cast, tree, act_kinds, kinds):
    activity = make_activity(cast["khoi"], tree["branch_a"], act_kinds["tuyen-truyen"])
    org_services.unit_move(actor=cast["khoi"], unit=tree["branch_a"], new_parent=tree["unit_b"])
    tree["branch_a"].refresh_from_db()
    activity.refresh_from_db()
    assert activity.unit_path == tree["branch_a"].path and activity.unit_path.startswith(tree["unit_b"].path)
    assert activity in selectors.activities(cast["coso2"])
    assert activity not in selectors.activities(cast["coso1"])


# --- Gifts -------------------------------------------------------------------------------


@pytest.fixture
def tet_gifts(cast, tree, act_kinds):
    """Tết 2024: unit A gives three gifts, unit B two, one of them to a family A also gave to."""
    a = make_round(cast["coso1"], tree["unit_a"], act_kinds, start=datetime.date(2024, 2, 2))
    b = make_round(cast["coso2"], tree["unit_b"], act_kinds, start=datetime.date(2024, 2, 5))
    gifts = [
        give(cast["coso1"], a, "Nguyễn Thị Mai", "Thôn 3, xã Âu Lâu", 500_000),
        give(cast["coso1"], a, "Lò Văn Páo", "Bản Tà Xi Láng", 500_000, circumstance="ho_ngheo"),
        give(
            cast["coso1"],
            a,
            "Đỗ Văn Tư",
            "Tổ 7, phường Nguyễn Thái Học",
            300_000,
            form="hien_vat",
            funding_source="co_quan",
        ),
        # The same family as A's first gift, typed differently.
        give(cast["coso2"], b, "nguyen thi  mai", "thôn 3 - xã Âu Lâu", 1_000_000, funding_source="xa_hoi_hoa"),
        give(cast["coso2"], b, "Trần Văn Bảy", "Tổ 1, phường Hồng Hà", 400_000),
    ]
    # 27/7 of the same year: the same family again is not a duplicate of Tết.
    c = make_round(
        cast["coso1"], tree["unit_a"], act_kinds, occasion=Occasion.WAR_INVALIDS_DAY, start=datetime.date(2024, 7, 25)
    )
    gifts.append(give(cast["coso1"], c, "Nguyễn Thị Mai", "Thôn 3, xã Âu Lâu", 200_000))
    return {"a": a, "b": b, "c": c, "gifts": gifts}


def test_same_family_by_two_units_for_one_occasion_is_flagged(cast, tet_gifts):
    groups = selectors.duplicate_gifts(cast["khoi"], selectors.GiftFilters())
    assert len(groups) == 1
    group = groups[0]
    assert group.occasion_label == "Tết Nguyên đán 2024"
    assert group.unit_names == ["Hội CCB Sở Tài chính", "Hội CCB Sở Y tế"]
    assert sorted(g.value for g in group.gifts) == [500_000, 1_000_000]
    # Each chair sees only their own gift, so nothing to compare and nothing of the other unit.
    assert selectors.duplicate_gifts(cast["coso1"], selectors.GiftFilters()) == []
    assert selectors.duplicate_gifts(cast["coso2"], selectors.GiftFilters()) == []
    flagged = selectors.duplicate_keys_in(tet_gifts["gifts"], cast["khoi"])
    assert flagged == {tet_gifts["gifts"][0].pk, tet_gifts["gifts"][3].pk}


def test_totals_match_hand_computed_sums(cast, tet_gifts):
    totals = selectors.gift_totals(cast["khoi"], selectors.GiftFilters(occasion=Occasion.TET, year=2024))
    # 500 + 500 + 300 (A) + 1,000 + 400 (B) thousand.
    assert (totals.gifts, totals.value) == (5, 2_700_000)
    assert totals.beneficiaries == 4  # Mai counted once
    assert {(r.label, r.gifts, r.value) for r in totals.by_unit} == {
        ("Hội CCB Sở Tài chính", 3, 1_300_000),
        ("Hội CCB Sở Y tế", 2, 1_400_000),
    }
    assert {(r.label, r.gifts, r.value) for r in totals.by_source} == {
        ("Quỹ Hội", 3, 1_400_000),
        ("Cơ quan, doanh nghiệp", 1, 300_000),
        ("Xã hội hóa, tài trợ", 1, 1_000_000),
    }
    assert {(r.label, r.value) for r in totals.by_form} == {("Tiền mặt", 2_400_000), ("Hiện vật", 300_000)}
    everything = selectors.gift_totals(cast["khoi"], selectors.GiftFilters())
    assert {(r.label, r.gifts, r.value) for r in everything.by_occasion} == {
        ("Tết Nguyên đán 2024", 5, 2_700_000),
        ("27/7 – Ngày Thương binh, Liệt sĩ 2024", 1, 200_000),
    }
    assert everything.beneficiaries == 5  # Mai at Tết and Mai at 27/7 are two gifts to count
    # The province sees its bloc's branch rolled up into one line.
    province = selectors.gift_totals(cast["admin"], selectors.GiftFilters(occasion=Occasion.TET, year=2024))
    assert [(r.label, r.gifts, r.value) for r in province.by_unit] == [
        ("Hội CCB Khối cơ quan và doanh nghiệp tỉnh", 5, 2_700_000)
    ]
    chair = selectors.gift_totals(cast["coso1"], selectors.GiftFilters(occasion=Occasion.TET))
    assert (chair.gifts, chair.value) == (3, 1_300_000)


def test_gift_rules(cast, tree, act_kinds, members):
    activity = make_activity(cast["coso1"], tree["unit_a"], act_kinds["tuyen-truyen"])
    with pytest.raises(ValidationError):
        give(cast["coso1"], activity, "Ai đó", "Đâu đó", 100_000)
    round_ = make_round(cast["coso1"], tree["unit_a"], act_kinds)
    with pytest.raises(ValidationError) as exc:
        give(cast["coso1"], round_, "Ai đó", "Đâu đó", 0)
    assert "value" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        give(cast["coso2"], round_, "Ai đó", "Đâu đó", 100_000)
    with pytest.raises(PermissionDenied):  # a member of another unit cannot be named by this chair
        give(cast["coso1"], round_, "", "", 100_000, member=members["hung_b"])
    gift = give(cast["coso1"], round_, "", "Tổ 2, phường Minh Tân", 100_000, member=members["hung"])
    assert gift.beneficiary_name == "Nguyễn Văn Hùng"


# --- Uploads -----------------------------------------------------------------------------------


def test_uploads_are_checked_by_content(cast, tree, act_kinds, settings):
    activity = make_activity(cast["coso1"], tree["unit_a"], act_kinds["ve-nguon"])
    photo = services.attachment_add(
        actor=cast["coso1"], activity=activity, upload=SimpleUploadedFile("anh doan.PNG", png_bytes()), caption="Đoàn"
    )
    assert (photo.kind, photo.content_type, photo.original_name) == ("photo", "image/png", "anh doan.PNG")
    stored = photo.file.path
    assert stored.startswith(str(settings.MEDIA_ROOT)) and "anh doan" not in stored
    doc = services.attachment_add(
        actor=cast["coso1"], activity=activity, upload=SimpleUploadedFile("bc.docx", docx_bytes())
    )
    assert doc.kind == "document"
    assert (
        services.attachment_add(
            actor=cast["coso1"], activity=activity, upload=SimpleUploadedFile("kh.pdf", pdf_bytes())
        ).content_type
        == "application/pdf"
    )

    with pytest.raises(ValidationError) as exc:  # a script named like a photo
        services.attachment_add(
            actor=cast["coso1"], activity=activity, upload=SimpleUploadedFile("anh.jpg", b"<script>alert(1)</script>")
        )
    assert "không phải ảnh JPEG, PNG, WebP" in exc.value.message_dict["file"][0]
    with pytest.raises(ValidationError):  # a zip that is not an Office document
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("virus.exe", "MZ")
        services.attachment_add(
            actor=cast["coso1"], activity=activity, upload=SimpleUploadedFile("bc.docx", buffer.getvalue())
        )
    settings.ACTIVITY_UPLOAD_MAX_BYTES = 2048
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(
            actor=cast["coso1"], activity=activity, upload=SimpleUploadedFile("lon.pdf", pdf_bytes() + b" " * 4096)
        )
    assert exc.value.message_dict["file"] == ["Tệp “lon.pdf” quá lớn (4 KB); tối đa 2 KB."]
    with pytest.raises(PermissionDenied):
        services.attachment_add(actor=cast["coso2"], activity=activity, upload=SimpleUploadedFile("a.png", png_bytes()))
    assert Attachment.objects.count() == 3


# --- Inspections -------------------------------------------------------------------------------


@pytest.fixture
def inspection(cast, tree, kinds):
    plan = services.plan_create(
        actor=cast["khoi"],
        unit=tree["bloc"],
        year=2024,
        title="Kiểm tra việc thực hiện Điều lệ Hội năm 2024",
        content="Công tác xây dựng tổ chức Hội, quản lý hội viên, thu chi quỹ Hội.",
        start_date=datetime.date(2024, 9, 3),
        end_date=datetime.date(2024, 9, 27),
        inspected_units=[tree["unit_a"], tree["unit_b"]],
    )
    record = plan.records.get(unit=tree["unit_a"])
    services.record_update(
        actor=cast["khoi"],
        record=record,
        inspected_on=datetime.date(2024, 9, 10),
        strengths="Sổ sách đầy đủ.",
        shortcomings="Chưa lập sổ theo dõi quỹ.",
    )
    rec = services.recommendation_add(
        actor=cast["khoi"],
        record=record,
        text="Lập sổ theo dõi quỹ Hội",
        owner="Chủ tịch Hội",
        due_date=datetime.date(2024, 12, 31),
    )
    return {"plan": plan, "record": record, "rec": rec}


def test_plan_rules(cast, tree, inspection):
    plan = inspection["plan"]
    assert plan.records.count() == 2 and plan.status == "in_progress"
    with pytest.raises(ValidationError):  # a sibling is not under the inspecting unit
        services.plan_create(
            actor=cast["khoi"],
            unit=tree["unit_a"],
            year=2024,
            title="x",
            content="x",
            start_date=datetime.date(2024, 1, 1),
            end_date=datetime.date(2024, 1, 2),
            inspected_units=[tree["unit_b"]],
        )
    with pytest.raises(PermissionDenied):  # the inspected chair does not write the findings
        services.record_update(actor=cast["coso1"], record=inspection["record"], strengths="Tốt")
    with pytest.raises(ValidationError) as exc:
        services.record_update(
            actor=cast["khoi"], record=inspection["record"], inspected_on=datetime.date(2024, 10, 30)
        )
    assert "inspected_on" in exc.value.message_dict
    services.delegate_add(actor=cast["khoi"], plan=plan, guest_name="Đ/c Phó Bí thư Đảng ủy Khối", role="Giám sát")
    with pytest.raises(ValidationError):
        services.delegate_add(actor=cast["khoi"], plan=plan)


def test_follow_up_states(cast, tree, inspection):
    rec = inspection["rec"]
    # The inspected chair reports progress but cannot close.
    services.follow_up(
        actor=cast["coso1"], recommendation=rec, status="in_progress", note="Đã mua sổ", on=datetime.date(2024, 10, 1)
    )
    with pytest.raises(PermissionDenied):
        services.follow_up(actor=cast["coso1"], recommendation=rec, status="closed", note="Xong")
    with pytest.raises(PermissionDenied):  # nor may the sibling unit touch it
        services.follow_up(actor=cast["coso2"], recommendation=rec, status="in_progress")
    with pytest.raises(ValidationError) as exc:  # closing needs evidence
        services.follow_up(actor=cast["khoi"], recommendation=rec, status="closed", note=" ")
    assert "note" in exc.value.message_dict
    services.follow_up(
        actor=cast["khoi"],
        recommendation=rec,
        status="closed",
        note="Sổ quỹ lập từ 01/10",
        on=datetime.date(2024, 11, 5),
    )
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.CLOSED and rec.closed_on == datetime.date(2024, 11, 5)
    assert "Sổ quỹ lập từ 01/10" in rec.evidence and "Đã mua sổ" in rec.evidence
    with pytest.raises(ValidationError):  # closed goes back only to "in progress"
        services.follow_up(actor=cast["khoi"], recommendation=rec, status="open")
    with pytest.raises(PermissionDenied):
        services.follow_up(actor=cast["coso1"], recommendation=rec, status="in_progress", note="Mở lại")
    services.follow_up(actor=cast["khoi"], recommendation=rec, status="in_progress", note="Sổ chưa ghi đủ")
    rec.refresh_from_db()
    assert rec.status == "in_progress" and rec.closed_on is None
    assert list(FollowUp.objects.filter(recommendation=rec).values_list("status", flat=True)) == [
        "in_progress",
        "closed",
        "in_progress",
    ]


def test_overdue_items(cast, inspection):
    rec = inspection["rec"]
    assert list(inspection_selectors.overdue_recommendations(cast["khoi"], on=datetime.date(2025, 1, 1))) == [rec]
    assert list(inspection_selectors.overdue_recommendations(cast["coso1"], on=datetime.date(2025, 1, 1))) == [rec]
    assert list(inspection_selectors.overdue_recommendations(cast["coso2"], on=datetime.date(2025, 1, 1))) == []
    assert list(inspection_selectors.overdue_recommendations(cast["khoi"], on=datetime.date(2024, 12, 31))) == []
    services.follow_up(
        actor=cast["khoi"], recommendation=rec, status="closed", note="Đã lập sổ", on=datetime.date(2024, 11, 1)
    )
    assert list(inspection_selectors.overdue_recommendations(cast["khoi"], on=datetime.date(2025, 1, 1))) == []


# --- Counts for the reports -------------------------------------------------------------------------


def test_activity_counts_per_unit_and_period(cast, tree, act_kinds, inspection):
    k = act_kinds
    make_activity(cast["khoi"], tree["unit_a"], k["tuyen-truyen"], start=datetime.date(2024, 1, 1), head_count=30)
    make_activity(cast["khoi"], tree["unit_a"], k["tuyen-truyen"], start=datetime.date(2024, 6, 30), head_count=12)
    make_activity(
        cast["khoi"],
        tree["branch_a"],
        k["ve-nguon"],
        start=datetime.date(2024, 4, 2),
        cost=9_000_000,
        funding_source="hoi_vien",
    )
    make_activity(cast["khoi"], tree["unit_b"], k["hoi-nghi"], start=datetime.date(2024, 7, 1))  # next period
    make_activity(cast["khoi"], tree["unit_b"], k["hoi-nghi"], start=datetime.date(2023, 12, 31))  # previous
    round_ = make_round(cast["khoi"], tree["unit_b"], k, start=datetime.date(2024, 2, 2))
    give(cast["khoi"], round_, "Hộ A", "Thôn 1", 300_000)
    give(cast["khoi"], round_, "Hộ B", "Thôn 2", 450_000)
    first_half = (datetime.date(2024, 1, 1), datetime.date(2024, 6, 30))

    counts = selectors.activity_counts(tree["bloc"], *first_half)
    a, b, branch = counts[tree["unit_a"].pk], counts[tree["unit_b"].pk], counts[tree["branch_a"].pk]
    assert (a.activities, a.by_kind, a.head_count) == (2, {"tuyen-truyen": 2}, 42)
    assert (branch.activities, branch.by_kind, branch.cost) == (1, {"ve-nguon": 1}, 9_000_000)
    assert (b.activities, b.by_kind, b.gifts, b.gift_value) == (1, {"an-sinh": 1}, 2, 750_000)
    assert tree["bloc"].pk not in counts  # the bloc itself did nothing in the first half

    second_half = selectors.activity_counts(tree["bloc"], datetime.date(2024, 7, 1), datetime.date(2024, 12, 31))
    assert second_half[tree["bloc"].pk].inspections_made == 1
    assert second_half[tree["unit_a"].pk].inspections_received == 1
    assert second_half[tree["unit_b"].pk].by_kind == {"hoi-nghi": 1}
    # A list of units: each alone, not its subtree (the branch's trip is not unit A's).
    listed = selectors.activity_counts([tree["unit_a"], tree["unit_b"]], *first_half)
    assert set(listed) == {tree["unit_a"].pk, tree["unit_b"].pk} and listed[tree["unit_a"].pk].activities == 2
    assert selectors.activity_counts(tree["unit_b"], *first_half)[tree["unit_b"].pk].gift_value == 750_000
    assert Activity.objects.count() == 6


def test_delete_removes_gifts_and_files_keeps_the_audit(cast, tree, act_kinds, django_capture_on_commit_callbacks):
    round_ = make_round(cast["coso1"], tree["unit_a"], act_kinds)
    give(cast["coso1"], round_, "Hộ A", "Thôn 1", 300_000)
    photo = services.attachment_add(
        actor=cast["coso1"], activity=round_, upload=SimpleUploadedFile("a.png", png_bytes())
    )
    path = photo.file.path
    with pytest.raises(PermissionDenied):
        services.activity_delete(actor=cast["coso2"], activity=round_)
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_delete(actor=cast["coso1"], activity=round_)
    assert not Activity.objects.exists() and not Gift.objects.exists()
    import os

    assert not os.path.exists(path)
    event = ActivityEvent.objects.get(action="activity_deleted")
    assert (
        event.summary == "Thăm, tặng quà Hội CCB Sở Tài chính (02/02/2024, 1 suất quà)" and event.actor == cast["coso1"]
    )
