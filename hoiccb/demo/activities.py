"""Demo activities of the demo bloc: the article's named events, Tết and 27/7 gift rounds,
inspections with recommendations in every state, and a steady stream of ordinary
activities from January 2024 to this month (so this month's calendar is not empty)."""

import datetime
import random

from hoiccb.accounts.models import User
from hoiccb.activities import services
from hoiccb.activities.models import Activity, ActivityKind, FundingSource, Occasion
from hoiccb.lib.forms import today
from hoiccb.members.models import Member, MemberStatus
from hoiccb.org.models import Unit

ORDINARY = {
    "tuyen-truyen": [
        "Tuyên truyền kỷ niệm {n} năm Ngày Chiến thắng Điện Biên Phủ",
        "Tọa đàm truyền thống Ngày thành lập Quân đội nhân dân Việt Nam 22/12",
        "Tuyên truyền Nghị quyết Đại hội Đảng bộ Khối",
        "Dâng hương tại Đài tưởng niệm các Anh hùng liệt sĩ tỉnh",
        "Kỷ niệm Ngày truyền thống Hội CCB Việt Nam 6/12",
        "Tuyên truyền phòng, chống tin giả trên mạng xã hội",
    ],
    "hoi-nghi": [
        "Sinh hoạt Hội định kỳ tháng {m}",
        "Hội nghị Ban Chấp hành sơ kết công tác Hội",
        "Sinh hoạt chuyên đề “Cựu chiến binh gương mẫu”",
    ],
    "kinh-te": [
        "Giúp hội viên vay vốn phát triển kinh tế gia đình",
        "Tham quan mô hình trồng quế, chè của hội viên",
        "Tập huấn chuyển giao kỹ thuật chăn nuôi",
    ],
    "khac": ["Giải bóng chuyền hơi hội viên CCB", "Tham gia Ngày hội Đại đoàn kết toàn dân tộc ở khu dân cư"],
}
FAMILIES = [
    ("Nguyễn Thị Mai", "Thôn 3, xã Âu Lâu, TP Yên Bái", "chinh_sach"),
    ("Lò Văn Páo", "Bản Tà Xi Láng, huyện Trạm Tấu", "ho_ngheo"),
    ("Đỗ Văn Tư", "Tổ 7, phường Nguyễn Thái Học", "thuong_binh"),
    ("Hà Thị Lan", "Tổ 5, phường Đồng Tâm", "can_ngheo"),
    ("Trần Văn Bảy", "Tổ 1, phường Hồng Hà", "da_cam"),
    ("Hoàng Văn Sáu", "Thôn Cầu Đá, xã Tuy Lộc", "kho_khan"),
    ("Phạm Thị Hòa", "Thôn Đồng Song, xã Văn Phú", "chinh_sach"),
    ("Vũ Văn Khải", "Tổ 12, phường Yên Ninh", "benh_binh"),
    ("Bùi Thị Nhàn", "Thôn Ngòi Sen, xã Thượng Bằng La, huyện Văn Chấn", "chinh_sach"),
    ("Lê Văn Hợi", "Thôn Khe Dứa, xã Thượng Bằng La, huyện Văn Chấn", "thuong_binh"),
    ("Giàng A Tủa", "Bản Hồng Nhài, xã Tà Xi Láng", "ho_ngheo"),
    ("Nông Thị Dung", "Thôn Ba Chãng, xã Giới Phiên", "can_ngheo"),
    ("Đinh Văn Mạnh", "Tổ 3, phường Minh Tân", "kho_khan"),
    ("Triệu Thị Vân", "Thôn Khe Ván, xã Văn Tiến", "om_dau"),
    ("Cao Văn Lực", "Tổ 9, phường Nguyễn Phúc", "thuong_binh"),
]

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Lò", "Hà", "Triệu", "Giàng"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Hạnh", "Khánh", "Lâm", "Minh", "Nga", "Phúc", "Quý", "Thắm"]
COMMUNES = ["Văn Phú", "Tuy Lộc", "Giới Phiên", "Phúc Lộc", "Minh Bảo", "Tân Thịnh", "Âu Lâu", "Hợp Minh"]


def _round(actor, unit, kinds, title, day, occasion, families, rng, value=500_000, source="quy_hoi", place=""):
    activity = services.activity_create(
        actor=actor,
        unit=unit,
        kind=kinds["an-sinh"],
        title=title,
        start_date=day,
        place=place,
        occasion=occasion,
        head_count=rng.randint(3, 8),
        cost=value * len(families),
        funding_source=source,
        content=f"Thăm hỏi, động viên và trao {len(families)} suất quà.",
    )
    for name, address, circumstance in families:
        services.gift_add(
            actor=actor,
            activity=activity,
            beneficiary_name=name,
            address=address,
            circumstance=circumstance,
            value=value,
            form="tien" if rng.random() < 0.7 else "hien_vat",
            description="" if rng.random() < 0.7 else "Gạo, dầu ăn, bánh chưng",
            funding_source=source,
        )
    return activity


def build(*, bloc: Unit, grassroots: list[Unit], seed: int = 2024) -> int:
    """Create the demo activities; returns how many activities exist afterwards."""
    rng = random.Random(seed)
    kinds = {k.code: k for k in ActivityKind.objects.all()}
    admin = User.objects.get(username="admin")
    chair = User.objects.get(username="coso1")
    coso1, coso2 = grassroots[0], grassroots[1]
    end = today()

    # The article's named events.
    services.activity_create(
        actor=admin,
        unit=bloc,
        kind=kinds["tuyen-truyen"],
        title="Mít tinh kỷ niệm 94 năm Ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2024)",
        start_date=datetime.date(2024, 2, 1),
        place="Hội trường Đảng ủy Khối",
        head_count=120,
        cost=8_000_000,
        funding_source=FundingSource.HOST_AGENCY,
        content="Ôn lại truyền thống vẻ vang của Đảng; biểu dương hội viên tiêu biểu.",
        co_organisers=grassroots[:5],
    )
    services.activity_create(
        actor=admin,
        unit=bloc,
        kind=kinds["ve-nguon"],
        title="Về nguồn năm 2024: thăm chiến trường xưa Quảng Trị – Thừa Thiên Huế",
        start_date=datetime.date(2024, 4, 20),
        end_date=datetime.date(2024, 4, 23),
        place="Thành cổ Quảng Trị, Nghĩa trang Liệt sĩ Quốc gia Trường Sơn, Huế",
        head_count=45,
        cost=180_000_000,
        funding_source=FundingSource.MEMBERS,
        content="Dâng hương tại Thành cổ Quảng Trị và Nghĩa trang Trường Sơn; thăm cầu Hiền Lương – sông Bến Hải.",
        co_organisers=grassroots[:8],
    )
    _round(
        admin,
        bloc,
        kinds,
        "Thăm, tặng quà gia đình chính sách xã Thượng Bằng La, Văn Chấn – 70 năm Chiến thắng Điện Biên Phủ",
        datetime.date(2024, 5, 5),
        Occasion.OTHER,
        FAMILIES[8:10],
        rng,
        value=1_000_000,
        source=FundingSource.SPONSORS,
        place="Xã Thượng Bằng La, huyện Văn Chấn",
    )
    # Tết gifts: the chair's twelve families, the bloc's round, a few units more; one family twice.
    for year, tet in (
        (2024, datetime.date(2024, 2, 2)),
        (2025, datetime.date(2025, 1, 20)),
        (2026, datetime.date(2026, 2, 9)),
    ):
        if tet > end:
            continue
        _round(chair, coso1, kinds, f"Thăm, tặng quà Tết Nguyên đán {year}", tet, Occasion.TET, FAMILIES[:12], rng)
        _round(
            admin,
            coso2,
            kinds,
            f"Tặng quà Tết {year} hội viên khó khăn",
            tet + datetime.timedelta(days=2),
            Occasion.TET,
            [FAMILIES[0], FAMILIES[12]],
            rng,
            value=700_000,
            source=FundingSource.HOST_AGENCY,
        )
        _round(
            admin,
            bloc,
            kinds,
            f"Ban Thường vụ thăm, chúc Tết gia đình chính sách {year}",
            tet - datetime.timedelta(days=3),
            Occasion.TET,
            FAMILIES[13:15],
            rng,
            value=1_000_000,
            source=FundingSource.HIGHER_LEVEL,
        )
        for unit in rng.sample(grassroots[2:], 8):
            # Each agency visits its own members' families: names and villages of their own.
            families = [
                (
                    f"{rng.choice(SURNAMES)} {rng.choice(['Văn', 'Thị', 'Đức', 'Ngọc'])} {rng.choice(GIVEN)}",
                    f"Thôn {rng.randint(1, 12)}, xã {rng.choice(COMMUNES)}",
                    rng.choice(["chinh_sach", "ho_ngheo", "can_ngheo", "thuong_binh", "kho_khan"]),
                )
                for _ in range(rng.randint(2, 4))
            ]
            _round(
                admin,
                unit,
                kinds,
                f"Thăm, tặng quà Tết {year}",
                tet - datetime.timedelta(days=rng.randint(0, 6)),
                Occasion.TET,
                families,
                rng,
                value=rng.choice([300_000, 500_000]),
            )
        wounded = datetime.date(year, 7, 25)
        if wounded <= end:
            _round(
                admin,
                bloc,
                kinds,
                f"Thăm, tặng quà thương binh, gia đình liệt sĩ nhân 27/7/{year}",
                wounded,
                Occasion.WAR_INVALIDS_DAY,
                [FAMILIES[2], FAMILIES[9], FAMILIES[14]],
                rng,
                value=1_000_000,
                source=FundingSource.HIGHER_LEVEL,
            )

    # Ordinary activities, bulk-created: three units in five do something each month.
    rows = []
    month = datetime.date(2024, 1, 1)
    while month <= end:
        for unit in [bloc, *grassroots]:
            if rng.random() < 0.6:
                code = rng.choice(list(ORDINARY))
                title = rng.choice(ORDINARY[code]).format(n=month.year - 1954, m=month.month)
                day = month + datetime.timedelta(days=rng.randrange(28))
                if day > end:
                    continue
                cost = rng.choice([0, 0, 500_000, 2_000_000])
                rows.append(
                    Activity(
                        kind=kinds[code],
                        unit=unit,
                        unit_path=unit.path,
                        title=title,
                        start_date=day,
                        place=unit.host_organisation or unit.name,
                        head_count=rng.randint(8, 60),
                        cost=cost,
                        funding_source=FundingSource.ASSOCIATION_FUND if cost else "",
                        created_by=admin,
                    )
                )
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    Activity.objects.bulk_create(rows)

    _inspections(admin, chair, bloc, grassroots, end)
    _participants(admin, bloc)
    return Activity.objects.count()


def _inspections(admin, chair, bloc, grassroots, end):
    plan = services.plan_create(
        actor=admin,
        unit=bloc,
        year=2024,
        title="Kiểm tra việc thực hiện Điều lệ Hội và Nghị quyết Đại hội năm 2024",
        content="Công tác xây dựng tổ chức Hội, quản lý hội viên, thu chi và quản lý quỹ Hội, "
        "thực hiện phong trào “Cựu chiến binh gương mẫu”.",
        start_date=datetime.date(2024, 9, 3),
        end_date=datetime.date(2024, 9, 27),
        inspected_units=grassroots[:3],
    )
    for guest, role in (
        ("Đ/c Phó Bí thư Đảng ủy Khối", "Giám sát"),
        ("Đ/c Trưởng Ban Kiểm tra Hội CCB Khối", "Trưởng đoàn"),
    ):
        services.delegate_add(actor=admin, plan=plan, guest_name=guest, role=role)
    findings = [
        (
            "Sổ sách hội viên đầy đủ, cập nhật kịp thời.",
            "Chưa lập sổ theo dõi quỹ Hội riêng.",
            "Lập sổ theo dõi quỹ Hội",
        ),
        (
            "Sinh hoạt đều đặn, nội dung phong phú.",
            "Tỷ lệ hội viên đóng hội phí đúng hạn còn thấp.",
            "Đôn đốc thu hội phí",
        ),
        ("Phong trào CCB gương mẫu sôi nổi.", "Hồ sơ kết nạp hội viên mới chưa đủ thủ tục.", "Bổ sung hồ sơ kết nạp"),
    ]
    for record, (strengths, shortcomings, text), day in zip(
        plan.records.order_by("unit__path"), findings, (10, 17, 24), strict=True
    ):
        services.record_update(
            actor=admin,
            record=record,
            inspected_on=datetime.date(2024, 9, day),
            strengths=strengths,
            shortcomings=shortcomings,
            conclusion="Đạt yêu cầu; khắc phục tồn tại theo kiến nghị.",
        )
        rec = services.recommendation_add(
            actor=admin,
            record=record,
            text=text,
            owner=f"Chủ tịch {record.unit.name}",
            due_date=datetime.date(2024, 12, 31),
        )
        if record.unit == grassroots[0]:
            services.follow_up(
                actor=chair, recommendation=rec, status="in_progress", note="Đã mở sổ", on=datetime.date(2024, 10, 15)
            )
            services.follow_up(
                actor=admin,
                recommendation=rec,
                status="closed",
                note="Sổ quỹ đã lập, kiểm tra lại đạt",
                on=datetime.date(2024, 12, 20),
            )
        elif record.unit == grassroots[1]:
            services.follow_up(
                actor=admin,
                recommendation=rec,
                status="in_progress",
                note="Đã thu được 80 %",
                on=datetime.date(2024, 12, 15),
            )
        # The third stays open, past its due date: it stands out on the bloc's page.
    services.plan_set_status(actor=admin, plan=plan, status="done")
    if end.year >= 2026:
        later = services.plan_create(
            actor=admin,
            unit=bloc,
            year=end.year,
            title=f"Giám sát công tác an sinh xã hội năm {end.year}",
            content="Việc thăm, tặng quà hội viên và gia đình chính sách; công khai nguồn kinh phí.",
            start_date=end - datetime.timedelta(days=20),
            end_date=end + datetime.timedelta(days=20),
            inspected_units=grassroots[3:6],
        )
        later_record = later.records.order_by("unit__path").first()
        if later_record is None:
            raise RuntimeError("The later plan inspects no unit.")
        services.record_update(
            actor=admin,
            record=later_record,
            inspected_on=end - datetime.timedelta(days=10),
            strengths="Công khai danh sách tặng quà.",
            shortcomings="Một số suất quà chưa có chữ ký nhận.",
        )
        services.recommendation_add(
            actor=admin,
            record=later_record,
            text="Bổ sung chữ ký nhận quà",
            owner="Chủ tịch Hội",
            due_date=end + datetime.timedelta(days=30),
        )


def _participants(admin, bloc):
    trip = Activity.objects.get(title__startswith="Về nguồn năm 2024")
    people = Member.objects.filter(unit_path__startswith=bloc.path, status=MemberStatus.ACTIVE).order_by("id")[:45]
    services.participants_add(actor=admin, activity=trip, members=people)
