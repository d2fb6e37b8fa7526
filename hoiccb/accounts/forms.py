from typing import cast

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError

from hoiccb.accounts import throttle
from hoiccb.accounts.models import Role, User
from hoiccb.lib.forms import BootstrapMixin
from hoiccb.lib.text import clean_text
from hoiccb.org.fields import scoped_unit_field


class UserForm(BootstrapMixin, forms.ModelForm):
    """Parses and checks a login's fields; saving goes through accounts.services."""

    password = forms.CharField(
        label="Mật khẩu",
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text="Để trống khi sửa nếu không đổi mật khẩu.",
    )

    class Meta:
        model = User
        fields = ("username", "full_name", "email", "role", "is_active")

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {**self.fields, "unit": scoped_unit_field(actor, label="Đơn vị")}
        cast(forms.ChoiceField, self.fields["role"]).choices = Role.choices
        self.fields["username"].help_text = "Chữ không dấu, chữ số và . _ - (vd: nguyenvana)."
        self.fields["is_active"].label = "Cho phép đăng nhập"
        self.fields["is_active"].help_text = ""
        if self.instance.pk is None:
            self.fields["password"].required = True
            self.fields["password"].help_text = ""
        self.fields["unit"].initial = self.instance.unit_id

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            validate_password(password, self.instance)
        return password

    def save(self, commit=True):
        raise NotImplementedError("Logins are saved by accounts.services (user_create, user_update), which audit them.")

    @staticmethod
    def service_fields(data: dict) -> dict:
        """Return the cleaned data as keyword arguments of accounts.services.user_create/user_update."""
        fields = {name: data[name] for name in ("username", "full_name", "email", "role", "is_active", "unit")}
        return {**fields, "password": data.get("password") or ""}


class LoginForm(AuthenticationForm):
    """The password step of the login, refused early while the address or the username is throttled."""

    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường.",
        "inactive": "Tài khoản này đã bị khóa. Liên hệ quản trị hệ thống.",
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        reason = throttle.refusal(self.request, username) if self.request is not None else None
        if reason:
            raise ValidationError(reason, code="throttled")
        return super().clean()


class AdminLoginForm(LoginForm, AdminAuthenticationForm):
    """Django admin's login: throttled like the app's, and still for staff only."""


class TokenForm(BootstrapMixin, forms.Form):
    """A 6-digit code from the authenticator app, or a recovery code."""

    token = forms.CharField(
        label="Mã xác thực",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )

    def clean_token(self) -> str:
        return clean_text(self.cleaned_data["token"]).replace(" ", "")


class BulkUserForm(forms.Form):
    """A list of logins to create: pasted rows, or a spreadsheet that fills them.

    Tabs separate pasted Excel cells, so the text is kept as typed here and each cell
    is cleaned (hoiccb.lib.text.clean_text) when the rows are split (accounts.bulk).
    """

    rows = forms.CharField(
        label="Danh sách",
        required=False,
        strip=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 10, "class": "form-control font-monospace"}),
        help_text="Mỗi dòng một tài khoản: mã hoặc tên đơn vị, họ và tên, vai trò, e-mail "
        "(cách nhau bằng dấu Tab khi chép từ Excel, hoặc dấu ; hay dấu ,).",
    )
    file = forms.FileField(
        label="Hoặc tải lên tệp Excel / CSV",
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.xls,.ods,.csv"}),
        help_text="Bốn cột theo thứ tự trên; dòng tiêu đề (nếu có) được bỏ qua.",
    )

    def clean(self):
        data = super().clean() or {}
        upload = data.get("file")
        if upload:
            from hoiccb.accounts.bulk import sheet_to_text
            from hoiccb.lib.sheets.reading import FileRejected, read_upload

            try:
                sheet = read_upload(upload.name, upload.read())
            except FileRejected as exc:
                raise ValidationError({"file": str(exc)}) from None
            data["rows"] = sheet_to_text(sheet.rows)
        elif not (data.get("rows") or "").strip():
            raise ValidationError({"rows": "Hãy dán danh sách hoặc chọn một tệp."})
        return data


class PasswordChangeForm(BootstrapMixin, forms.Form):
    """The owner's own password change (the one-time password of a new account first)."""

    old_password = forms.CharField(
        label="Mật khẩu hiện tại", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password1 = forms.CharField(
        label="Mật khẩu mới",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label="Nhập lại mật khẩu mới", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = " ".join(password_validators_help_texts())

    def clean(self):
        data = super().clean() or {}
        if data.get("new_password1") and data.get("new_password2") != data["new_password1"]:
            self.add_error("new_password2", "Hai lần nhập mật khẩu mới không giống nhau.")
        return data
