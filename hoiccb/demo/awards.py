"""Demo data of the awards app: the movement "Cựu chiến binh gương mẫu" 2019–2024 with six
years of unit scores and member ratings, a few awards from before the system, and the
summary round with its quotas shared out and nominations at every step up to the vote
(the decision and certificates are left for the user to issue)."""

import datetime
import random

from django.core.exceptions import PermissionDenied, ValidationError

from hoiccb.accounts.models import Role, User
from hoiccb.awards.history.models import AwardRecord
from hoiccb.awards.movements import services as movement_services
from hoiccb.awards.movements.models import MemberRating
from hoiccb.awards.registration.models import Registration, RegistrationException
from hoiccb.awards.rounds import services
from hoiccb.awards.rounds.models import AwardForm, NominationState
from hoiccb.awards.rounds.selectors import seats
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
    if actor is None:
        raise RuntimeError("The awards demo needs the bloc's standing officer or a superuser.")
    movement = movement_services.movement_create(
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
        movement_services.unit_ratings_save(actor=actor, movement=movement, year=year, scores=scores)
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
    build_registrations(movement, grassroots, members, actor, rng)
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
        share, _used = seats(rnd, forms["giay-khen-khoi"], unit)
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
            except (ValidationError, PermissionDenied):
                continue  # a member the rules refuse (already awarded, out of quota): try the next
            made += 1
            if made == share and made > 1:
                continue  # the last one stays a draft
            services.transition(actor=chair, nomination=n, to=NominationState.SUBMITTED)
            services.transition(actor=actor, nomination=n, to=NominationState.REVIEW)
            if made % 3:
                services.record_vote(
                    actor=actor, nomination=n, present=9, yes=rng.choice([5, 7, 8, 9]), no=0, abstain=0
                )


REASONS = ["Tuổi cao, sức yếu", "Ốm dài ngày", "Đi làm ăn xa", "Chăm sóc người thân ốm", ""]


def build_registrations(movement, grassroots: list[Unit], members: list[Member], actor, rng) -> None:
    """Every unit registered each year of the movement, a few members excepted with a reason;
    the last year is still open: a few units have not registered yet."""
    chairs = {u.unit_id: u for u in User.objects.filter(unit__in=grassroots)}
    paths = {u.path for u in grassroots}
    lengths = sorted({len(p) for p in paths})
    by_unit: dict[str, list[Member]] = {}
    for m in members:
        path = next((m.unit_path[:n] for n in lengths if m.unit_path[:n] in paths), None)
        if path is not None:
            by_unit.setdefault(path, []).append(m)
    late = set(rng.sample([u.pk for u in grassroots], len(grassroots) // 5))
    registrations = []
    for year in movement.years:
        for unit in grassroots:
            if year == movement.end_year and unit.pk in late:
                continue
            at = datetime.datetime(year, 1, rng.randint(5, 28), rng.randint(7, 16), tzinfo=datetime.UTC)
            registrations.append(
                Registration(
                    movement=movement,
                    unit=unit,
                    unit_path=unit.path,
                    year=year,
                    registered_at=at,
                    registered_by=chairs.get(unit.pk, actor),
                )
            )
    Registration.objects.bulk_create(registrations, batch_size=2000)
    saved = Registration.objects.filter(movement=movement).select_related("unit")
    exceptions = []
    for r in saved:
        people = by_unit.get(r.unit_path, [])
        for m in rng.sample(people, min(rng.choice([0, 0, 1, 2, 3]), len(people))):
            exceptions.append(RegistrationException(registration=r, member=m, reason=rng.choice(REASONS)))
    RegistrationException.objects.bulk_create(exceptions, batch_size=5000)
