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
    """A stored number as Brazilians write it: `+5511987654321` -> `(11) 98765-4321`.

    Plain string work (no phonenumbers import) because every look-up prints phones.
    Numbers from other countries are shown as stored.
    """
    if e164.startswith("+55") and e164[3:].isdigit() and len(e164) in (13, 14):
        area, number = e164[3:5], e164[5:]
        return f"({area}) {number[:-4]}-{number[-4:]}"
    return e164
