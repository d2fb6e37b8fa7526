"""The demo bloc: Hội CCB Khối cơ quan và doanh nghiệp tỉnh Yên Bái and its units."""

import datetime

from hoiccb.org.models import EmulationCluster, Unit, UnitGroup, UnitKind
from hoiccb.org.paths import encode_step

GROUPS = {
    "dang-doan-the": (
        "Khối Đảng – đoàn thể",
        [
            "Văn phòng Tỉnh ủy",
            "Ban Tổ chức Tỉnh ủy",
            "Ban Tuyên giáo Tỉnh ủy",
            "Ủy ban Kiểm tra Tỉnh ủy",
            "Ban Dân vận Tỉnh ủy",
            "Ban Nội chính Tỉnh ủy",
            "Trường Chính trị tỉnh",
            "Báo Yên Bái",
            "Ủy ban MTTQ tỉnh",
            "Liên đoàn Lao động tỉnh",
            "Hội Nông dân tỉnh",
            "Tỉnh đoàn",
            "Hội Liên hiệp Phụ nữ tỉnh",
            "Văn phòng Đoàn ĐBQH và HĐND tỉnh",
            "Liên minh Hợp tác xã tỉnh",
        ],
    ),
    "quan-ly-nha-nuoc": (
        "Khối quản lý nhà nước",
        [
            "Văn phòng UBND tỉnh",
            "Sở Tài chính",
            "Sở Kế hoạch và Đầu tư",
            "Sở Nội vụ",
            "Sở Tư pháp",
            "Sở Công Thương",
            "Sở Xây dựng",
            "Sở Giao thông vận tải",
            "Sở Nông nghiệp và PTNT",
            "Sở Tài nguyên và Môi trường",
            "Sở Giáo dục và Đào tạo",
            "Sở Y tế",
            "Sở Lao động – TB&XH",
            "Sở Văn hóa, Thể thao và Du lịch",
            "Sở Thông tin và Truyền thông",
            "Sở Khoa học và Công nghệ",
            "Thanh tra tỉnh",
            "Ban Dân tộc tỉnh",
            "Cục Thuế tỉnh",
            "Kho bạc Nhà nước tỉnh",
            "Bảo hiểm xã hội tỉnh",
            "Cục Thống kê tỉnh",
            "Ngân hàng Nhà nước chi nhánh tỉnh",
            "Tòa án nhân dân tỉnh",
            "Viện Kiểm sát nhân dân tỉnh",
            "Cục Thi hành án dân sự tỉnh",
            "Đài Phát thanh và Truyền hình tỉnh",
            "Bệnh viện Đa khoa tỉnh",
            "Trường Cao đẳng Yên Bái",
            "Ban Quản lý các khu công nghiệp tỉnh",
        ],
    ),
    "doanh-nghiep": (
        "Khối doanh nghiệp",
        [
            "Công ty Điện lực Yên Bái",
            "Viễn thông Yên Bái",
            "Bưu điện tỉnh",
            "Agribank chi nhánh Yên Bái",
            "BIDV chi nhánh Yên Bái",
            "Vietcombank chi nhánh Yên Bái",
            "VietinBank chi nhánh Yên Bái",
            "Công ty Cổ phần Môi trường và Dịch vụ đô thị",
            "Công ty Cổ phần Cấp nước Yên Bái",
            "Công ty TNHH MTV Lâm nghiệp Yên Bình",
            "Công ty Cổ phần Xi măng Yên Bình",
            "Công ty Xổ số kiến thiết Yên Bái",
            "Công ty Cổ phần Chè Văn Hưng",
            "Công ty Cổ phần Quản lý đường bộ",
            "Công ty Cổ phần Thủy điện Thác Bà",
        ],
    ),
}
CLUSTERS = [f"Cụm thi đua số {n}" for n in range(1, 7)]


def build_tree() -> tuple[Unit, Unit, list[Unit]]:
    """Create the province, the bloc and its 60 grassroots associations; returns them.

    Paths are assigned here directly (a fresh tree, one writer), which is what the
    unit_create service would give them one by one.
    """
    kinds = {k.code: k for k in UnitKind.objects.all()}
    province = Unit.objects.create(
        kind=kinds["tinh"],
        code="YB",
        name="Hội Cựu chiến binh tỉnh Yên Bái",
        path=encode_step(1),
        established_on=datetime.date(1990, 6, 1),
        address="Phường Yên Ninh, TP Yên Bái",
    )
    bloc = Unit.objects.create(
        parent=province,
        kind=kinds["khoi"],
        code="YB-KCQDN",
        name="Hội CCB Khối cơ quan và doanh nghiệp tỉnh",
        path=province.path + encode_step(1),
        host_organisation="Đảng bộ Khối các cơ quan và doanh nghiệp tỉnh",
        established_on=datetime.date(2008, 3, 1),
        address="Số 1 Hoàng Hoa Thám, TP Yên Bái",
    )
    clusters = [
        EmulationCluster.objects.get_or_create(code=f"cum-{i}", defaults={"name": name})[0]
        for i, name in enumerate(CLUSTERS, start=1)
    ]
    grassroots = []
    step = 0
    for code, (group_name, agencies) in GROUPS.items():
        group, _ = UnitGroup.objects.get_or_create(code=code, defaults={"name": group_name})
        for agency in agencies:
            step += 1
            grassroots.append(
                Unit(
                    parent=bloc,
                    kind=kinds["co-so"],
                    code=f"CS{step:03d}",
                    name=f"Hội CCB {agency}",
                    name_search="",
                    path=bloc.path + encode_step(step),
                    host_organisation=agency,
                    group=group,
                    cluster=clusters[(step - 1) % len(clusters)],
                    established_on=datetime.date(2008 + step % 10, 1 + step % 12, 1),
                )
            )
    for unit in grassroots:
        unit.save()
    return province, bloc, grassroots


def add_branches(parent: Unit, how_many: int) -> list[Unit]:
    kind = UnitKind.objects.get(code="chi-hoi")
    branches = []
    for n in range(1, how_many + 1):
        branch = Unit(
            parent=parent,
            kind=kind,
            code=f"{parent.code}-CH{n}",
            name=f"Chi hội {n} – {parent.host_organisation}",
            path=parent.path + encode_step(n),
            group=parent.group,
            cluster=parent.cluster,
        )
        branch.save()
        branches.append(branch)
    return branches
