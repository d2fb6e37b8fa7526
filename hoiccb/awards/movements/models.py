"""Movements (phong trào thi đua), their rating bands, and the yearly ratings of units and members.

Titles (danh hiệu thi đua: ratings) and forms of commendation (hình thức khen thưởng)
are kept apart: a rating is a UnitRating/MemberRating row, an award is a history.AwardRecord.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from hoiccb.org.unit_owned import UnitOwned


class Movement(UnitOwned):
    name = models.CharField("tên phong trào", max_length=255)
    start_year = models.PositiveSmallIntegerField("từ năm")
    end_year = models.PositiveSmallIntegerField("đến năm")
    unit = models.ForeignKey("org.Unit", verbose_name="đơn vị phát động", on_delete=models.PROTECT, related_name="+")
    content = models.TextField("nội dung, tiêu chí", blank=True)
    max_score = models.PositiveSmallIntegerField("thang điểm", default=90)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_year", "name"]
        verbose_name = "phong trào thi đua"
        verbose_name_plural = "phong trào thi đua"
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="movement_end_after_start",
                violation_error_message="Năm kết thúc phải từ năm bắt đầu trở đi.",
            )
        ]
        indexes = [models.Index(fields=["unit_path"], name="movement_path")]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_year}–{self.end_year})"

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    def band_for(self, score) -> "RatingBand | None":
        for band in self.bands.all():
            if score >= band.min_score:
                return band
        return None


class RatingBand(models.Model):
    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="bands")
    name = models.CharField("xếp loại", max_length=100)
    min_score = models.DecimalField("từ điểm", max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["-min_score"]
        verbose_name = "mức xếp loại"
        verbose_name_plural = "mức xếp loại"
        constraints = [models.UniqueConstraint(fields=["movement", "name"], name="band_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} (≥ {self.min_score})"


class UnitRating(UnitOwned):
    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="unit_ratings")
    unit = models.ForeignKey("org.Unit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("năm")
    score = models.DecimalField("điểm", max_digits=5, decimal_places=1, validators=[MinValueValidator(0)])
    band_name = models.CharField("xếp loại", max_length=100, blank=True, editable=False)

    class Meta:
        ordering = ["year", "unit_path"]
        verbose_name = "xếp loại đơn vị"
        verbose_name_plural = "xếp loại đơn vị"
        constraints = [
            models.UniqueConstraint(fields=["movement", "unit", "year"], name="unit_rating_unique"),
            models.CheckConstraint(condition=Q(score__gte=0), name="unit_rating_score_positive"),
        ]
        indexes = [models.Index(fields=["movement", "year", "unit_path"], name="unit_rating_path")]

    def __str__(self) -> str:
        return f"{self.year}: {self.band_name}"


class MemberRating(UnitOwned):
    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="member_ratings")
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("năm")
    exemplary = models.BooleanField("CCB gương mẫu", default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["movement", "member", "year"], name="member_rating_unique")]
        indexes = [models.Index(fields=["movement", "year", "unit_path"], name="member_rating_path")]

    def __str__(self) -> str:
        return f"{self.year}: {'CCB gương mẫu' if self.exemplary else 'chưa đạt'}"

    def owner_path(self) -> str:
        return self.member.unit_path
