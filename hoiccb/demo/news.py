"""The demo news: the source article (its real text), a few other items, two directives.

The source article is the one this system was built from (shared/context/bai-viet-goc.txt):
title, lead, photo caption, body, author. Its photo here is a drawn placeholder.
"""

# ruff: noqa: E501 - the source article's paragraphs are kept whole, as written.

import datetime
import random
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hoiccb.accounts.models import User
from hoiccb.news import samples, services
from hoiccb.news.models import Article, Category, DirectiveKind, DirectiveReceipt, ReceiptState
from hoiccb.org.models import Unit

# fmt: off
SOURCE_TITLE = 'Đồng chí Bí thư Đảng uỷ Khối làm việc với Hội Cựu chiến binh Khối cơ quan và doanh nghiệp tỉnh'
SOURCE_LEAD = (
    'Sáng ngày 05/6/2024, đồng chí Đỗ Quang Minh, Bí thư Đảng uỷ Khối cơ quan và doanh nghiệp tỉnh đã làm việc với Ban Thường vụ Hội Cựu chiến Khối để nắm tình hoạt động của hội trong 6 tháng đầu năm và công tác chuẩn bị Hội nghị tổng kết phong trào thi đua: “Cựu chiến binh gương mẫu”, giai đoạn 2019- 2024. Dự hội nghị còn có đồng chí Nguyễn Đức Phương, Uỷ viên Ban Thường vụ, Trưởng ban Tuyên giáo Đảng uỷ Khối.'
)
SOURCE_CAPTION = 'Đ/c Đỗ Quang Minh, Bí thư Đảng uỷ Khối phát biểu tại buổi làm việc'
SOURCE_AUTHOR = 'Ngọc Khánh'
SOURCE_BODY = "\n\n".join(
    [
        'Tại hội nghị, đồng chí Đỗ Văn Mạnh, Chủ tịch Hội Cựu chiến binh Khối đã báo cáo kết quả hoạt động của Hội 6 tháng đầu năm, phương hướng nhiệm vụ 6 tháng cuối năm 2024 và kết quả chuẩn bị Hội nghị tổng kết phong trào thi đua: “Cựu chiến binh gương mẫu”, giai đoạn 2019- 2024.',
        'Theo báo cáo đánh giá tại Hội nghị, trong 6 tháng đầu năm 2024, Hội Cựu chiến binh Khối cơ quan và doanh nghiệp tỉnh đã triển khai thực hiện đạt được một số kết quả tích cực: Hội đã triển khai công tác thông tin, tuyên truyền kịp thời theo chỉ đạo của Hội Cựu chiến binh tỉnh; phát động phong trào thi đua yêu nước, Cựu chiến binh “gương mẫu”; Tổ chức các hoạt động tuyên truyền kỷ niệm 94 năm ngày thành lập Đảng cộng sản Việt Nam (03/02/1930-03/02/2024); đẩy mạnh thực hiện phong trào thi đua: “Cựu chiến binh gương mẫu”; phối hợp với đoàn thể khối tổ chức hoạt động an sinh xã hội, thăm và tặng quà các hộ gia đình có hoàn cảnh khó khăn, gia đình chính sách nhân dịp Tết Nguyên đán; thăm các gia đình chính sách nhân kỷ niệm 70 năm chiến thắng Điện Biên phủ tại xã Thượng Bằng La – Văn Chấn; tổ chức thành công Chương trình “Về nguồn năm 2024” tại các tỉnh Miền Trung; tổ chức các đoàn kiểm tra, giám sát trong việc thực hiện các phong trào, hoạt động của Hội tại cơ sở…; Xây dựng kế hoạch tổ chức Hội nghị tổng kết phong trào thi đua “Cựu Chiến binh gương mẫu” giai đoạn 2019- 2024.',
        'Phát biểu kết luận tại buổi làm việc, đồng chí Đỗ Quang Minh, Bí thư Đảng uỷ Khối đánh giá cao những kết quả đã đạt được trong 6 tháng đầu năm. Đồng chí cũng chia sẻ những khó khăn của các tổ chức cơ sở hội và chỉ ra một số tồn tại, hạn chế cần khắc phục; đồng thời định hướng một số nhiệm vụ chủ yếu như: Tiếp tục theo dõi, nắm tình hình hoạt động của các tổ chức cơ sở hội, làm tốt công tác giáo dục chính trị tư tưởng cho hội viên, kịp thời định hướng tuyên truyền để hội viên nắm được các quan điểm, chủ trương của Đảng, chính sách, pháp luật của Nhà nước; từ đó củng cố niềm tin của cán bộ, hội viên với Đảng, Nhà nước. Hướng dẫn, đôn đốc thực hiện các nhiệm vụ của Hội cũng như các phong trào thi đua – khen thưởng và vận động hội viên gương mẫu chấp hành chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước. Chỉ đạo thực hiện hiệu quả phong trào thi đua yêu nước “Cựu chiến binh gương mẫu”.\xa0Chỉ đạo thực hiện tốt công tác kiểm tra, giám sát; đẩy mạnh hoạt động\xa0bảo vệ nền tảng tư tưởng của Đảng, đấu tranh, phản bác các quan điểm sai trái, thù địch.',
        'Về việc chuẩn bị Hội nghị tổng kết phong trào thi đua “Cựu Chiến binh gương mẫu” giai đoạn 2019- 2024, đồng chí Bí thư yêu cầu Ban Thường vụ Hội Cựu chiến binh Khối phải chuẩn bị kỹ về nội dung, \xa0khánh tiết và điều kiện cơ sở vật chất cho hội nghị. Phân công rõ nhiệm vụ cho các đồng chí Uỷ viên Ban Thường vụ, Uỷ viên Ban Chấp hành để tham gia chuẩn bị cho hội nghị. Trong đó, việc lựa chọn và khen thưởng cho các tập thể và cá nhân có thành tích xuất sắc đảm bảo hài hoà các Khối cũng như thành tích theo hướng dẫn của Hội cấp trên.',
    ]
)
# fmt: on

CATEGORIES = [
    ("hoat-dong-cua-hoi", "Hoạt động của Hội"),
    ("thi-dua-khen-thuong", "Thi đua – khen thưởng"),
    ("an-sinh-xa-hoi", "An sinh xã hội"),
    ("tuyen-truyen", "Thông tin – tuyên truyền"),
]

# (category, title, lead, body, author, local publish time, photo caption)
OTHER_ITEMS = [
    (
        "tuyen-truyen",
        "Kỷ niệm 94 năm ngày thành lập Đảng Cộng sản Việt Nam (03/02/1930 – 03/02/2024)",
        "Hội Cựu chiến binh Khối cơ quan và doanh nghiệp tỉnh tổ chức các hoạt động tuyên truyền "
        "kỷ niệm 94 năm ngày thành lập Đảng tới cán bộ, hội viên.",
        "Thực hiện hướng dẫn của Hội Cựu chiến binh tỉnh, Ban Thường vụ Hội Cựu chiến binh Khối đã chỉ đạo "
        "các Hội cơ sở tổ chức tuyên truyền kỷ niệm 94 năm ngày thành lập Đảng Cộng sản Việt Nam.\n\n"
        "Các Hội cơ sở treo khẩu hiệu, tổ chức sinh hoạt chuyên đề, giới thiệu truyền thống vẻ vang "
        "của Đảng; hội viên tích cực tham gia các hoạt động do cơ quan, doanh nghiệp tổ chức.",
        "Văn phòng Hội",
        datetime.datetime(2024, 2, 2, 9, 0),
        "Sinh hoạt chuyên đề kỷ niệm 94 năm ngày thành lập Đảng",
    ),
    (
        "an-sinh-xa-hoi",
        "Thăm, tặng quà các gia đình chính sách nhân dịp Tết Nguyên đán Giáp Thìn",
        "Phối hợp với các đoàn thể Khối, Hội Cựu chiến binh Khối thăm và tặng quà các hộ gia đình có hoàn "
        "cảnh khó khăn, gia đình chính sách nhân dịp Tết Nguyên đán.",
        "Đoàn công tác đã đến thăm hỏi, động viên và trao tặng **50 suất quà**, mỗi suất trị giá "
        "500.000 đồng, cho các hộ gia đình chính sách, hội viên có hoàn cảnh khó khăn.\n\n"
        "- Hội CCB Sở Tài chính: 8 suất\n- Hội CCB Sở Y tế: 6 suất\n- Các Hội cơ sở khác: 36 suất",
        "Minh Hà",
        datetime.datetime(2024, 2, 5, 15, 30),
        "Đoàn công tác trao quà cho gia đình chính sách",
    ),
    (
        "hoat-dong-cua-hoi",
        "Chương trình “Về nguồn năm 2024” tại các tỉnh miền Trung",
        "Đoàn cán bộ, hội viên Cựu chiến binh Khối đã thăm lại chiến trường xưa, dâng hương tưởng niệm "
        "các anh hùng liệt sĩ tại các tỉnh miền Trung.",
        "Trong hành trình, đoàn dâng hương tại Thành cổ Quảng Trị, Nghĩa trang Liệt sĩ Quốc gia Trường Sơn "
        "và thăm các di tích lịch sử cách mạng.\n\n"
        "Chương trình góp phần giáo dục truyền thống, bồi đắp niềm tự hào cho cán bộ, hội viên.",
        "Ngọc Khánh",
        datetime.datetime(2024, 4, 20, 8, 0),
        "Đoàn Về nguồn dâng hương tại Thành cổ Quảng Trị",
    ),
    (
        "an-sinh-xa-hoi",
        "Thăm các gia đình chính sách tại xã Thượng Bằng La nhân kỷ niệm 70 năm Chiến thắng Điện Biên Phủ",
        "Nhân kỷ niệm 70 năm Chiến thắng Điện Biên Phủ, Hội Cựu chiến binh Khối thăm các gia đình chính sách "
        "tại xã Thượng Bằng La, huyện Văn Chấn.",
        "Đoàn đã thăm hỏi, tặng quà các chiến sĩ Điện Biên, thân nhân liệt sĩ và gia đình chính sách "
        "trên địa bàn xã, ghi nhận những đóng góp to lớn của các thế hệ cha anh.",
        "Minh Hà",
        datetime.datetime(2024, 5, 6, 10, 0),
        "",
    ),
]

DIRECTIVES = [
    (
        DirectiveKind.GUIDANCE,
        "15/HD-CCB",
        datetime.date(2024, 6, 10),
        "Hướng dẫn tổ chức Hội nghị tổng kết phong trào thi đua “Cựu chiến binh gương mẫu” giai đoạn 2019–2024",
        "pdf",
        0.6,
    ),
    (
        DirectiveKind.ORIENTATION,
        "08/ĐH-CCB",
        datetime.date(2024, 6, 20),
        "Định hướng tuyên truyền 6 tháng cuối năm 2024: bảo vệ nền tảng tư tưởng của Đảng, "
        "đấu tranh, phản bác các quan điểm sai trái, thù địch",
        "docx",
        0.35,
    ),
]

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")


def _photo(seed: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"anh-{seed}.jpg", samples.photo_bytes(seed=seed), content_type="image/jpeg")


def _publish_at(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(tzinfo=LOCAL)


def build(*, bloc: Unit, grassroots: list[Unit], clerk: User, chairs: list[User]) -> None:
    """Create the categories, the articles and the directives (clerk: a bloc login)."""
    categories = {
        slug: Category.objects.create(slug=slug, name=name, order=i) for i, (slug, name) in enumerate(CATEGORIES)
    }
    for seed, (cat, title, lead, body, author, at, caption) in enumerate(OTHER_ITEMS, start=1):
        article = services.article_create(
            actor=clerk,
            unit=bloc,
            title=title,
            lead=lead,
            body_source=body,
            category=categories[cat],
            author_name=author,
        )
        if caption:
            services.photo_add(actor=clerk, article=article, upload=_photo(seed), caption=caption)
        _publish_in_past(clerk, article, _publish_at(at))

    source = services.article_create(
        actor=clerk,
        unit=bloc,
        title=SOURCE_TITLE,
        lead=SOURCE_LEAD,
        body_source=SOURCE_BODY,
        category=categories["hoat-dong-cua-hoi"],
        author_name=SOURCE_AUTHOR,
    )
    services.photo_add(actor=clerk, article=source, upload=_photo(0), caption=SOURCE_CAPTION)
    _publish_in_past(clerk, source, _publish_at(datetime.datetime(2024, 6, 5, 16, 0)))

    # A draft, an item scheduled for the coming days, and one taken down: none is public.
    services.article_create(
        actor=clerk,
        unit=bloc,
        title="Hội nghị tổng kết phong trào thi đua “Cựu chiến binh gương mẫu” giai đoạn 2019–2024 (bản nháp)",
        lead="Bản nháp: đưa tin sau khi hội nghị kết thúc.",
        body_source="Nội dung sẽ bổ sung sau hội nghị.",
        category=categories["thi-dua-khen-thuong"],
        author_name="Ngọc Khánh",
    )
    scheduled = services.article_create(
        actor=clerk,
        unit=bloc,
        title="Thông báo lịch tiếp hội viên tháng tới",
        lead="Văn phòng Hội tiếp hội viên vào sáng thứ Năm hằng tuần.",
        body_source="Hội viên có nhu cầu liên hệ Văn phòng Hội CCB Khối, tầng 2, trụ sở Đảng ủy Khối.",
        category=categories["hoat-dong-cua-hoi"],
        author_name="Văn phòng Hội",
    )
    services.article_publish(actor=clerk, article=scheduled, at=timezone.now() + datetime.timedelta(days=3))
    withdrawn = services.article_create(
        actor=clerk,
        unit=bloc,
        title="Tin đăng nhầm (đã gỡ)",
        lead="Tin này đã được gỡ khỏi trang công khai.",
        body_source="Nội dung đăng nhầm.",
        author_name="Văn phòng Hội",
    )
    services.article_publish(actor=clerk, article=withdrawn)
    services.article_withdraw(actor=clerk, article=withdrawn, reason="Đăng nhầm")

    _directives(bloc, grassroots, clerk, chairs)


def _publish_in_past(actor: User, article: Article, at: datetime.datetime) -> None:
    """Publish, then date the publication as it happened (the demo replays 2024)."""
    services.article_publish(actor=actor, article=article)
    Article.objects.filter(pk=article.pk).update(publish_at=at)
    services.bump_public_state()


def _directives(bloc: Unit, grassroots: list[Unit], clerk: User, chairs: list[User]) -> None:
    rng = random.Random(2024)
    for index, (kind, number, issued_on, summary, fmt, share) in enumerate(DIRECTIVES):
        lines = [f"{kind.label.upper()} so {number}", summary]
        data = samples.pdf_bytes([line.encode("ascii", "ignore").decode() for line in lines])
        if fmt == "docx":
            data = samples.docx_bytes(
                ["HỘI CỰU CHIẾN BINH KHỐI CƠ QUAN VÀ DOANH NGHIỆP TỈNH", f"Số: {number}", summary]
            )
        upload = SimpleUploadedFile(f"{number.replace('/', '-')}.{fmt}", data)
        directive = services.directive_issue(
            actor=clerk,
            issuing_unit=bloc,
            kind=kind,
            number=number,
            issued_on=issued_on,
            summary=summary,
            upload=upload,
            recipient_root=bloc,
            grassroots_only=True,
        )
        receipts = list(directive.receipts.exclude(unit__in=[c.unit_id for c in chairs]))
        rng.shuffle(receipts)
        confirmed = receipts[: int(len(receipts) * share)]
        opened = receipts[len(confirmed) : len(confirmed) + len(receipts) // 6]
        at = timezone.make_aware(datetime.datetime.combine(issued_on, datetime.time(9)), LOCAL)
        for n, receipt in enumerate(confirmed):
            receipt.state = ReceiptState.CONFIRMED
            receipt.opened_at = at + datetime.timedelta(hours=n % 30)
            receipt.confirmed_at = receipt.opened_at + datetime.timedelta(minutes=20)
        for n, receipt in enumerate(opened):
            receipt.state = ReceiptState.OPENED
            receipt.opened_at = at + datetime.timedelta(hours=n % 30)
        DirectiveReceipt.objects.bulk_update([*confirmed, *opened], ["state", "opened_at", "confirmed_at"])
        # The first chair has confirmed the first directive and not yet the second.
        if index == 0:
            services.receipt_confirm(actor=chairs[0], directive=directive)
