"""Django's password rules with messages in Vietnamese (Django's own vi catalogue lacks them)."""

from django.contrib.auth import password_validation as base
from django.core.exceptions import ValidationError


class MinimumLengthValidator(base.MinimumLengthValidator):
    def get_error_message(self):
        return f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự."

    def get_help_text(self):
        return f"Mật khẩu cần ít nhất {self.min_length} ký tự."


class CommonPasswordValidator(base.CommonPasswordValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError("Mật khẩu này quá phổ biến, dễ bị đoán.", code="password_too_common") from None

    def get_help_text(self):
        return "Không dùng mật khẩu phổ biến."


class NumericPasswordValidator(base.NumericPasswordValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError("Mật khẩu không được chỉ gồm chữ số.", code="password_entirely_numeric") from None

    def get_help_text(self):
        return "Mật khẩu không được chỉ gồm chữ số."


class UserAttributeSimilarityValidator(base.UserAttributeSimilarityValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(
                "Mật khẩu quá giống tên đăng nhập hoặc họ tên.", code="password_too_similar"
            ) from None

    def get_help_text(self):
        return "Mật khẩu không được giống tên đăng nhập hoặc họ tên."
