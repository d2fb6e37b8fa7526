"""What activities hold about a member, for the personal-data area (registered in apps.py)."""

from typing import Any

from hoiccb.activities.models import Activity, Gift
from hoiccb.activities.models import Delegate as InspectionDelegate
from hoiccb.lib.vietnamese import format_money


def member_rows(member: Any) -> list[dict[str, str]]:
    """Return the gifts the member received and the activities and inspections they took part in."""
    rows = [
        {
            "Việc": f"Nhận quà {gift.get_occasion_display()} {gift.occasion_year}",
            "Ngày": gift.given_on.strftime("%d/%m/%Y"),
            "Đơn vị": str(gift.unit),
            "Chi tiết": f"{gift.get_form_display()}, {format_money(gift.value)}"
            + (f": {gift.description}" if gift.description else ""),
        }
        for gift in Gift.objects.filter(member=member).select_related("unit").order_by("given_on", "id")
    ]
    rows += [
        {
            "Việc": "Tham gia hoạt động",
            "Ngày": activity.start_date.strftime("%d/%m/%Y"),
            "Đơn vị": str(activity.unit),
            "Chi tiết": activity.title,
        }
        for activity in Activity.objects.filter(participants=member).select_related("unit").order_by("start_date")
    ]
    rows += [
        {"Việc": "Thành viên đoàn kiểm tra", "Ngày": "", "Đơn vị": "", "Chi tiết": f"{d.plan} {d.role}".strip()}
        for d in InspectionDelegate.objects.filter(member=member).select_related("plan")
    ]
    return rows


def forget(member: Any, label: str) -> int:
    """Replace the name and address a gift copied from the member; returns how many gifts changed."""
    return Gift.objects.filter(member=member).update(beneficiary_name=label, address="")
