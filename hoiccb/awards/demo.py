"""Demo data of the awards app: the movement "Cựu chiến binh gương mẫu" 2019–2024 with six
years of unit scores and member ratings, a few awards from before the system, and the
summary round with its quotas shared out and nominations at every step up to the vote
(the decision and certificates are left for the user to issue)."""

import random

from hoiccb.accounts.models import Role, User
from hoiccb.awards import services
from hoiccb.awards.models import AwardForm, AwardRecord, MemberRating, NominationState
from hoiccb.members.models import Member, MemberStatus
from hoiccb.org.models import Unit

BANDS = [("Trong sạch vững mạnh xuất sắc", 81), ("Trong sạch vững mạnh", 71), ("Khá", 51), ("Yếu", 0)]
CONTENT = (
    "1. Gương mẫu chấp hành chủ trương của Đảng, chính sách, pháp luật của Nhà nước.\n"
    "2. Gương mẫu xây dựng gia đình văn hóa, phát triển kinh tế.\n"
    "3. Tích cực tham gia xây dựng Đảng, chính quyền, Hội vững mạnh.\n"
    "4. Giáo dục truyền thống cho thế hệ trẻ."
)


def build(*, bloc: Unit, grassroots: list[Unit]) -> None:
    rng = random.Random(2024)
    actor = User.objects.filter(unit=bloc, role=Role.STANDING).first() or User.objects.filter(is_superuser=True).first()
    movement = services.movement_create(
        actor=actor,
        unit=bloc,
        name="Cựu chiến binh gương mẫu",
        start_year=2019,
        end_year=2024,
        content=CONTENT,
        bands=BANDS,
    )
    strength = {u.pk: rng.uniform(62, 88) for u in grassroots}
    for year in movement.years:
        scores = {u: round(min(90, max(40, strength[u.pk] + rng.uniform(-6, 6))), 1) for u in grassroots}
        services.unit_ratings_save(actor=actor, movement=movement, year=year, scores=scores)
    members = list(
        Member.objects.filter(unit_path__startswith=bloc.path, status=MemberStatus.ACTIVE).only("id", "unit_path")
    )
    MemberRating.objects.bulk_create(
        (
            MemberRating(movement=movement, member=m, unit_path=m.unit_path, year=year, exemplary=rng.random() < 0.8)
            for m in members
            for year in movement.years
        ),
        batch_size=5000,
    )
    forms = {f.code: f for f in AwardForm.objects.all()}
    AwardRecord.objects.bulk_create(
        AwardRecord(
            form=forms["ky-niem-chuong"], member=m, unit_path=m.unit_path, year=2019, decision_text="Trung ương Hội"
        )
        for m in rng.sample(members, min(40, len(members)))
    )
    rnd = services.round_create(
        actor=actor, unit=bloc, movement=movement, name="Tổng kết phong trào CCB gương mẫu 2019–2024", year=2024
    )
    services.quota_set(actor=actor, round=rnd, form=forms["giay-khen-khoi"], basis="pct_members", value=3)
    services.quota_set(actor=actor, round=rnd, form=forms["giay-khen-khoi-tap-the"], basis="pct_units", value=30)
    services.quota_set(actor=actor, round=rnd, form=forms["bang-khen-tinh"], basis="number", value=8)
    # Nominations of the first units: some voted on, one waiting for the council, one a draft.
    for unit in grassroots[:4]:
        chair = User.objects.filter(unit=unit).first() or actor
        candidates = [
            m for m in Member.objects.filter(unit_path__startswith=unit.path, status=MemberStatus.ACTIVE)[:30]
        ]
        share, _used = services.seats(rnd, forms["giay-khen-khoi"], unit)
        made = 0
        for member in candidates:
            if made >= share:
                break
            try:
                n = services.nominate(
                    actor=chair,
                    round=rnd,
                    form=forms["giay-khen-khoi"],
                    unit=unit,
                    member=member,
                    summary=(
                        f"Hội viên {member.full_name} nhiều năm liền đạt danh hiệu CCB gương mẫu, "
                        "tích cực tham gia các hoạt động của Hội và địa phương."
                    ),
                )
            except Exception:  # noqa: BLE001 - an ineligible demo member is simply skipped
                continue
            made += 1
            if made == share and made > 1:
                continue  # the last one stays a draft
            services.transition(actor=chair, nomination=n, to=NominationState.SUBMITTED)
            services.transition(actor=actor, nomination=n, to=NominationState.REVIEW)
            if made % 3:
                services.record_vote(
                    actor=actor, nomination=n, present=9, yes=rng.choice([5, 7, 8, 9]), no=0, abstain=0
                )
