"""Django's password rules with messages in Vietnamese (Django's own vi catalogue lacks them)."""

from typing import Any, Protocol, cast

from django.contrib.auth import password_validation as base
from django.core.exceptions import ValidationError


class MinimumLengthValidator(base.MinimumLengthValidator):
    def get_error_message(self):
        return f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự."

    def get_help_text(self):
        return f"Mật khẩu cần ít nhất {self.min_length} ký tự."


class _Rule(Protocol):
    def validate(self, password: str, user: Any = None) -> None: ...


class _InVietnamese:
    """Run Django's rule; say its refusal and its help in Vietnamese."""

    message = help_text = ""

    def validate(self, password, user=None):
        try:
            # A mixin: the Django rule it wraps comes after it in the class's MRO.
            cast(_Rule, super()).validate(password, user)
        except ValidationError as exc:
            raise ValidationError(self.message, code=exc.error_list[0].code) from None

    def get_help_text(self):
        return self.help_text


class CommonPasswordValidator(_InVietnamese, base.CommonPasswordValidator):
    message = "Mật khẩu này quá phổ biến, dễ bị đoán."
    help_text = "Không dùng mật khẩu phổ biến."


class NumericPasswordValidator(_InVietnamese, base.NumericPasswordValidator):
    message = help_text = "Mật khẩu không được chỉ gồm chữ số."


class UserAttributeSimilarityValidator(_InVietnamese, base.UserAttributeSimilarityValidator):
    message = "Mật khẩu quá giống tên đăng nhập hoặc họ tên."
    help_text = "Mật khẩu không được giống tên đăng nhập hoặc họ tên."
