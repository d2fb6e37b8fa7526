"""The check code printed in a card's QR: an HMAC of the card number, keyed from SECRET_KEY.

The QR holds only the card number and this code, never a name or a date: a scanned card
tells the verifier nothing the card itself does not show, and a forged number fails.
"""

from urllib.parse import quote

from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "hoiccb.members.cards.check"
CODE_LENGTH = 10
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32: no I, L, O, U to misread


def check_code(card_number: str) -> str:
    """Return the card's check code (10 characters, 50 bits)."""
    digest = salted_hmac(SALT, card_number.upper(), algorithm="sha256").digest()
    value = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(CODE_LENGTH):
        value, rest = divmod(value, 32)
        chars.append(ALPHABET[rest])
    return "".join(chars)


def is_genuine(card_number: str, code: str) -> bool:
    return bool(card_number) and constant_time_compare(check_code(card_number), (code or "").upper())


def verify_path(card_number: str) -> str:
    """The path the QR points at: /the/<number>/<code>/."""
    return reverse("card_verify", args=[quote(card_number.upper(), safe=""), check_code(card_number)])
