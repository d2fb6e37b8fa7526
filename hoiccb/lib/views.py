"""The one way a view hands a POST to a service: `submit`.

A form page and a button that posts (approve, remove, remind) both go through it, so a
service's refusal always reaches the user the same way, in Vietnamese, with nothing saved.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest


def apply_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _flash_form_errors(request: HttpRequest, form: forms.BaseForm) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


def submit(
    request: HttpRequest,
    form: forms.BaseForm | None,
    action: Callable[[dict[str, Any]], Any],
    *,
    done: str | Callable[[Any], str] | None,
    flash_errors: bool = False,
) -> Any:
    """On a POST with a valid form, call `action(cleaned_data)`; returns its result, or None.

    - `form` None: a button that posts; `action({})` is called.
    - `done`: the success message, a function of the result for one that names it, or None
      when the next page says it (a progress page).
    - A service's ValidationError or PermissionDenied lands on the form, so the page shows
      again with what the user typed. With `flash_errors` (an action that redirects back
      whatever happens) the form's and the service's errors become error messages instead.
    """
    if request.method != "POST":
        return None
    if form is not None and not form.is_valid():
        if flash_errors:
            _flash_form_errors(request, form)
        return None
    try:
        result = action(form.cleaned_data if form is not None else {})
    except ValidationError as exc:
        if flash_errors or form is None:
            messages.error(request, " ".join(exc.messages))
        else:
            apply_errors(form, exc)
        return None
    except PermissionDenied as exc:
        if flash_errors or form is None:
            messages.error(request, str(exc) or "Bạn không có quyền làm việc này.")
        else:
            form.add_error(None, str(exc))
        return None
    if done is not None:
        messages.success(request, done(result) if callable(done) else done)
    return result
