"""Phone numbers as Brazilians write them, stored in E.164."""

from __future__ import annotations


def normalize_phone(text: str, region: str = "BR") -> str | None:
    """`(11) 98765-4321` -> `+5511987654321`; None when it is not a valid number."""
    import phonenumbers  # 40 ms: only paths that read phones pay for it

    if not text.strip():
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def format_phone(e164: str) -> str:
    """A stored number as its country writes it: `+5511987654321` -> `(11) 98765-4321`."""
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 55
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return str(phonenumbers.format_number(number, style))
