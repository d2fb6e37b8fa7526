"""Many logins at once from a list: rows of (unit code or name, full name, role, e-mail).

The rows are read and checked first (the preview), then each is created through
services.user_create (audited, refused when it would stand level with or above the
actor) with a random one-time password sent to its e-mail. A refused row says why
and never stops the others.
"""

from __future__ import annotations

import re
import secrets
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email

from hoiccb.accounts import scoping, services
from hoiccb.accounts.models import Role, User
from hoiccb.lib.text import clean_text
from hoiccb.lib.vietnamese import normalize_search
from hoiccb.org.models import Unit

MAX_ROWS = 300
HEADINGS = {"don vi", "ma don vi", "ten don vi", "unit"}
ROLE_WORDS = {normalize_search(label): value for value, label in Role.choices} | {v: v for v in Role.values}


@dataclass
class Row:
    number: int
    unit_text: str
    full_name: str
    role_text: str
    email: str
    unit: Unit | None = None
    role: str = ""
    username: str = ""
    errors: list[str] = field(default_factory=list)
    created: User | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def split_lines(text: str) -> list[list[str]]:
    """Return the cells of each non-empty line: split on tabs (pasted from Excel), else ';', else ','."""
    rows = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        sep = "\t" if "\t" in line else ";" if ";" in line else ","
        rows.append([clean_text(cell) for cell in line.split(sep)])
    return rows


def sheet_to_text(rows: list[list]) -> str:
    """Return an uploaded sheet's rows as tab-separated lines, the textarea's form."""
    lines = []
    for cells in rows:
        texts = [clean_text(str(c)) if c not in (None, "") else "" for c in cells[:4]]
        if any(texts):
            lines.append("\t".join(t.replace("\t", " ") for t in texts))
    return "\n".join(lines)


def _username_base(full_name: str) -> str:
    words = normalize_search(full_name).split()
    if not words:
        return "taikhoan"
    # Vietnamese habit: given name then initials of the family and middle names ("Nguyễn Văn An" → "annv").
    base = words[-1] + "".join(w[0] for w in words[:-1])
    return re.sub(r"[^a-z0-9]", "", base)[:20] or "taikhoan"


def _unique_username(base: str, taken: set[str]) -> str:
    name, n = base, 1
    while name in taken or User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}{n}"
    taken.add(name)
    return name


def prepare(actor: User, text: str) -> list[Row]:
    """Return the rows of text, each with its unit, role and user name resolved or its errors."""
    cells = split_lines(text)
    if cells and normalize_search(cells[0][0]) in HEADINGS:
        cells = cells[1:]
    if len(cells) > MAX_ROWS:
        raise ValidationError(f"Danh sách có {len(cells)} dòng: mỗi lần tạo tối đa {MAX_ROWS} tài khoản.")
    units = scoping.units(actor)
    taken: set[str] = set()
    rows = []
    for number, raw in enumerate(cells, start=1):
        unit_text, full_name, role_text, email = [*raw, "", "", "", ""][:4]
        row = Row(number, unit_text, full_name, role_text, email)
        if len([c for c in cells[number - 1] if c]) > 4:
            row.errors.append("Dòng có hơn 4 cột: đơn vị, họ và tên, vai trò, e-mail.")
        if row.unit_text:
            row.unit = (
                units.filter(code__iexact=row.unit_text).first()
                or units.filter(name_search=normalize_search(row.unit_text)).first()
            )
        if row.unit is None:
            row.errors.append(f"Không tìm thấy đơn vị “{row.unit_text}” trong phạm vi của bạn.")
        if not row.full_name:
            row.errors.append("Thiếu họ và tên.")
        elif len(row.full_name) > 150:
            row.errors.append("Họ và tên dài quá 150 ký tự.")
        row.role = ROLE_WORDS.get(normalize_search(row.role_text), "") if row.role_text else Role.VIEWER
        if not row.role:
            labels = ", ".join(label for _, label in Role.choices)
            row.errors.append(f"Vai trò “{row.role_text}” không có; chọn một trong: {labels}.")
        try:
            validate_email(row.email)
        except ValidationError:
            row.errors.append("Thiếu e-mail hoặc e-mail không hợp lệ: mật khẩu được gửi qua e-mail.")
        if row.unit is not None and row.role and not scoping.is_below(actor, row.unit, row.role):
            row.errors.append(services.ABOVE_OR_EQUAL)
        if row.full_name:
            row.username = _unique_username(_username_base(row.full_name), taken)
        rows.append(row)
    return rows


MAIL_SUBJECT = "Tài khoản Hội Cựu chiến binh của bạn"


def _mail(user: User, password: str, login_url: str) -> None:
    body = (
        f"Xin chào {user.full_name},\n\n"
        f"Tài khoản của bạn trên hệ thống quản lý Hội Cựu chiến binh đã được tạo.\n"
        f"Tên đăng nhập: {user.username}\nMật khẩu tạm: {password}\n\n"
        f"Đăng nhập tại {login_url}: lần đăng nhập đầu tiên hệ thống yêu cầu bạn đặt mật khẩu mới.\n"
        "Không chuyển thư này cho người khác."
    )
    send_mail(MAIL_SUBJECT, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def create_all(actor: User, rows: list[Row], login_url: str) -> list[Row]:
    """Create every row without errors through services.user_create; mail each its password."""
    for row in rows:
        if not row.ok or row.unit is None:
            continue
        password = secrets.token_urlsafe(12)
        try:
            row.created = services.user_create(
                actor=actor,
                unit=row.unit,
                password=password,
                one_time=True,
                username=row.username,
                full_name=row.full_name,
                email=row.email,
                role=row.role,
                is_active=True,
            )
        except PermissionDenied as exc:
            row.errors.append(str(exc) or services.OUT_OF_SCOPE)
            continue
        except ValidationError as exc:
            row.errors.extend(exc.messages)
            continue
        try:
            _mail(row.created, password, login_url)
        except (OSError, smtplib.SMTPException):
            row.errors.append(
                "Đã tạo tài khoản nhưng không gửi được thư: "
                "hãy đặt lại mật khẩu cho tài khoản này rồi báo cho người dùng."
            )
    return rows
