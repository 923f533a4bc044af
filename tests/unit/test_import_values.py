"""Cell values as Brazilian exports write them: scores, dates, CNPJ, e-mail, phones, flags, text."""

from __future__ import annotations

import pickle
import string
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from npsdesk.domain.cnpj import check_digits, format_cnpj, make_cnpj
from npsdesk.domain.phones import normalize_phone
from npsdesk.importers import cells, contacts
from npsdesk.importers.values import (
    REASONS,
    RowError,
    parse_cnpj,
    parse_day,
    parse_email,
    parse_flag,
    parse_line,
    parse_moment,
    parse_phone,
    parse_score,
    parse_text,
)

SP = ZoneInfo("America/Sao_Paulo")
NY = ZoneInfo("America/New_York")
ZONES = [SP, NY, ZoneInfo("UTC"), ZoneInfo("Asia/Kolkata"), ZoneInfo("Australia/Lord_Howe")]
MARKUP = "[@click=app.quit]x[/] [link='https://e.example']y[/link]"
ESCAPES = "\x1b]52;c;ZXZpbA==\x07\x1b[2J"


def reason_of(call: object, *args: object) -> str:
    assert callable(call)
    with pytest.raises(RowError) as caught:
        call(*args)
    assert "\n" not in caught.value.detail
    assert str(caught.value) == caught.value.detail
    return caught.value.reason


# -- RowError --------------------------------------------------------------------------------


def test_row_error_carries_a_known_reason_and_pickles() -> None:
    error = RowError("invalid_score", "score '11' is outside 0-10")
    assert (error.reason, error.detail, str(error)) == (
        "invalid_score",
        "score '11' is outside 0-10",
        "score '11' is outside 0-10",
    )
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.reason, copy.detail) == (error.reason, error.detail)
    with pytest.raises(ValueError, match="unknown reject reason"):
        RowError("bad_vibes", "x")


def test_reasons_keep_their_order() -> None:
    assert REASONS[:13] == (
        "missing_score",
        "invalid_score",
        "missing_date",
        "invalid_date",
        "invalid_email",
        "invalid_phone",
        "invalid_cnpj",
        "no_contact",
        "invalid_flag",
        "short_row",
        "long_row",
        "missing_id",
        "too_long",
    )


# -- scores ----------------------------------------------------------------------------------


@given(
    st.integers(0, 10),
    st.sampled_from(["{}", " {} ", "{},0", "{}.0", "{},00", "0{}", "\t{}.000 "]),
)
def test_every_written_form_of_a_valid_score(score: int, shape: str) -> None:
    assert parse_score(shape.format(score)) == score
    assert parse_score(score) == score
    assert parse_score(float(score)) == score
    assert parse_score(Decimal(score)) == score


@given(st.integers(0, 10), st.integers(1, 99), st.sampled_from([",", "."]))
def test_fractions_are_invalid(whole: int, fraction: int, separator: str) -> None:
    text = f"{whole}{separator}{fraction}"
    assert reason_of(parse_score, text) == "invalid_score"
    assert reason_of(parse_score, float(f"{whole}.{fraction}")) == "invalid_score"


@given(st.integers().filter(lambda n: not 0 <= n <= 10))
def test_scores_outside_0_10_are_invalid(score: int) -> None:
    assert reason_of(parse_score, str(score)) == "invalid_score"
    assert reason_of(parse_score, score) == "invalid_score"


@pytest.mark.parametrize(
    ("value", "reason", "detail"),
    [
        ("11", "invalid_score", "score '11' is outside 0-10"),
        ("-1", "invalid_score", "score '-1' is outside 0-10"),
        ("9" * 5000, "invalid_score", f"score '{'9' * 59}…' is outside 0-10"),
        ("0011", "invalid_score", "score '0011' is outside 0-10"),
        ("9,5", "invalid_score", "score '9,5' is not a whole number"),
        (9.5, "invalid_score", "score '9.5' is not a whole number"),
        ("nove", "invalid_score", "score 'nove' is not a number"),
        ("9/10", "invalid_score", "score '9/10' is not a number"),
        (True, "invalid_score", "score 'True' is not a number"),
        (float("nan"), "invalid_score", "score 'nan' is not a number"),
        (None, "missing_score", "no score"),
        ("", "missing_score", "no score"),
        ("   ", "missing_score", "no score"),
    ],
)
def test_bad_scores(value: object, reason: str, detail: str) -> None:
    with pytest.raises(RowError) as caught:
        parse_score(value)
    assert (caught.value.reason, caught.value.detail) == (reason, detail)


# -- dates and times -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/10/2026 14:03", datetime(2026, 10, 31, 17, 3, tzinfo=UTC)),
        ("31/10/2026 14:03:27", datetime(2026, 10, 31, 17, 3, 27, tzinfo=UTC)),
        ("1/2/2026 9:05", datetime(2026, 2, 1, 12, 5, tzinfo=UTC)),
        ("31/10/2026", datetime(2026, 10, 31, 3, 0, tzinfo=UTC)),
        (" 31/10/2026  14:03 ", datetime(2026, 10, 31, 17, 3, tzinfo=UTC)),
        ("2026-10-31", datetime(2026, 10, 31, 3, 0, tzinfo=UTC)),
        ("2026-10-31T14:03:00", datetime(2026, 10, 31, 17, 3, tzinfo=UTC)),
        ("2026-10-31 14:03:00", datetime(2026, 10, 31, 17, 3, tzinfo=UTC)),
        ("2026-10-31T14:03", datetime(2026, 10, 31, 17, 3, tzinfo=UTC)),
        ("2026-10-31T14:03:00-03:00", datetime(2026, 10, 31, 17, 3, tzinfo=UTC)),
        ("2026-10-31T14:03:00Z", datetime(2026, 10, 31, 14, 3, tzinfo=UTC)),
        ("2026-10-31T14:03:00+00:00", datetime(2026, 10, 31, 14, 3, tzinfo=UTC)),
        ("2026-10-31T14:03:00.987654+05:30", datetime(2026, 10, 31, 8, 33, tzinfo=UTC)),
        ("2026-10-31T14:03:00-0300", datetime(2026, 10, 31, 17, 3, tzinfo=UTC)),
        ("2026-10-31T14:03:00.5", datetime(2026, 10, 31, 17, 3, tzinfo=UTC)),
    ],
)
def test_moments_as_exports_write_them(text: str, expected: datetime) -> None:
    moment = parse_moment(text, SP)
    assert moment == expected
    assert moment is not None
    assert moment.utcoffset() == timedelta(0)


def test_excel_cells_are_dates_and_datetimes() -> None:
    assert parse_moment(datetime(2026, 10, 31, 14, 3, 0, 999), SP) == datetime(
        2026, 10, 31, 17, 3, tzinfo=UTC
    )
    aware = datetime(2026, 10, 31, 14, 3, tzinfo=timezone(timedelta(hours=-5)))
    assert parse_moment(aware, SP) == datetime(2026, 10, 31, 19, 3, tzinfo=UTC)
    assert parse_moment(date(2026, 10, 31), SP) == datetime(2026, 10, 31, 3, tzinfo=UTC)


@pytest.mark.parametrize("value", [None, "", "  ", "\t"])
def test_empty_moments_are_none(value: object) -> None:
    assert parse_moment(value, SP) is None
    assert parse_day(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "31/02/2026",
        "10/31/2026",
        "ontem",
        "2026/10/31",
        "31/10/26",
        "31/10/2026 24:00",
        "31/10/2026 14:60",
        "2026-10-31T14:03:00+24:00",
        "2026-13-01",
        "20261031",
        "45231",
        45231,
        45231.5,
        True,
        "0001-01-01T00:00:00+01:00",
    ],
)
def test_other_shapes_are_invalid_dates(value: object) -> None:
    assert reason_of(parse_moment, value, SP) == "invalid_date"


def test_invalid_date_detail() -> None:
    with pytest.raises(RowError) as caught:
        parse_moment("ontem", SP)
    assert caught.value.detail == "'ontem' is not a date (use dd/mm/yyyy HH:MM or ISO 8601)"


def test_wall_clock_times_around_dst_changes() -> None:
    # New York: clocks jump 02:00 -> 03:00 on 2026-03-08, fall back 02:00 -> 01:00 on 11-01.
    assert parse_moment("08/03/2026 02:30", NY) == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)
    assert parse_moment("01/11/2026 01:30", NY) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    # São Paulo kept DST until 2019: midnight 2018-11-04 did not exist there.
    assert parse_moment("04/11/2018", SP) == datetime(2018, 11, 4, 3, 0, tzinfo=UTC)
    assert parse_moment("15/01/2018 12:00", SP) == datetime(2018, 1, 15, 14, 0, tzinfo=UTC)


local_times = st.datetimes(min_value=datetime(1000, 1, 2), max_value=datetime(9999, 12, 30))


@given(local_times, st.sampled_from(ZONES))
def test_brazilian_shape_means_wall_clock_time_in_the_zone(naive: datetime, tz: ZoneInfo) -> None:
    naive = naive.replace(microsecond=0, fold=0)  # text cannot say which of a repeated hour
    expected = naive.replace(tzinfo=tz).astimezone(UTC)
    text = naive.strftime("%d/%m/") + f"{naive.year:04d}" + naive.strftime(" %H:%M:%S")
    assert parse_moment(text, tz) == expected
    short = f"{naive.day}/{naive.month}/{naive.year:04d} {naive.hour}:{naive.minute:02d}"
    assert parse_moment(short, tz) == naive.replace(second=0, tzinfo=tz).astimezone(UTC)
    assert parse_day(text) == naive.date()


@given(
    st.datetimes(
        min_value=datetime(1000, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
    ),
    st.sampled_from(ZONES),
)
def test_instants_round_trip_through_local_wall_clock(instant: datetime, tz: ZoneInfo) -> None:
    local = instant.astimezone(tz).replace(microsecond=0)
    # An ambiguous wall-clock time (clocks turned back) reads as its first occurrence.
    assume(local.replace(fold=0).utcoffset() == local.replace(fold=1).utcoffset())
    text = local.strftime("%d/%m/") + f"{local.year:04d}" + local.strftime(" %H:%M:%S")
    assert parse_moment(text, tz) == instant.replace(microsecond=0)


@given(
    st.datetimes(
        min_value=datetime(1000, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
    ),
    st.integers(-23 * 60 - 59, 23 * 60 + 59),
    st.sampled_from(["T", " "]),
    st.sampled_from(["seconds", "milliseconds", "microseconds"]),
)
def test_iso_with_offset_round_trips(
    instant: datetime, offset: int, sep: str, timespec: str
) -> None:
    local = instant.astimezone(timezone(timedelta(minutes=offset)))
    text = local.isoformat(sep=sep, timespec=timespec)
    assert parse_moment(text, SP) == instant.replace(microsecond=0)
    assert parse_moment(text.replace("+00:00", "Z"), NY) == instant.replace(microsecond=0)
    assert parse_day(text) == local.date()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("14/11/2026", date(2026, 11, 14)),
        ("1/2/2026 23:59", date(2026, 2, 1)),
        ("2026-11-14", date(2026, 11, 14)),
        ("2026-11-14T23:30:00-03:00", date(2026, 11, 14)),
        (datetime(2026, 11, 14, 23, 30), date(2026, 11, 14)),
        (date(2026, 11, 14), date(2026, 11, 14)),
    ],
)
def test_days(value: object, expected: date) -> None:
    assert parse_day(value) == expected


@pytest.mark.parametrize("value", ["31/02/2026", "14/11/2026 25:00", "ontem", 20261114])
def test_bad_days(value: object) -> None:
    assert reason_of(parse_day, value) == "invalid_date"


# -- CNPJ ------------------------------------------------------------------------------------

cnpjs = (
    st.text(string.digits + string.ascii_uppercase, min_size=12, max_size=12)
    .filter(lambda base: len(set(base)) > 1)
    .map(lambda base: base + check_digits(base))
)


@given(cnpjs, st.lists(st.sampled_from([".", "/", "-", " "]), max_size=14), st.randoms())
def test_cnpj_with_random_punctuation(cnpj: str, marks: list[str], rnd: object) -> None:
    chars = list(cnpj.lower() if marks[:1] == ["."] else cnpj)
    for mark in marks:
        chars.insert(rnd.randrange(len(chars) + 1), mark)  # type: ignore[attr-defined]
    assert parse_cnpj("".join(chars)) == cnpj
    assert parse_cnpj(format_cnpj(cnpj)) == cnpj


def test_cnpj_cells() -> None:
    assert parse_cnpj(None) is None
    assert parse_cnpj("  ") is None
    assert parse_cnpj(11222333000181) == "11222333000181"
    padded = make_cnpj("01234567")
    assert parse_cnpj(int(padded)) == padded  # Excel dropped the leading 0
    assert parse_cnpj(11222333000181.0) == "11222333000181"


@pytest.mark.parametrize("value", ["11.222.333/0001-82", "123", "11111111111111", "CNPJ", -5])
def test_bad_cnpjs(value: object) -> None:
    assert reason_of(parse_cnpj, value) == "invalid_cnpj"
    assert reason_of(parse_cnpj, value) == "invalid_cnpj"  # the cached verdict too


def test_cnpj_detail_says_why() -> None:
    with pytest.raises(RowError, match=r"CNPJ '11.222.333/0001-82': bad check digits"):
        parse_cnpj("11.222.333/0001-82")


# -- e-mail ----------------------------------------------------------------------------------


def full_verdict(text: str) -> str | None:
    try:
        return validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("Ana.Souza@Durasoft.COM.br", "ana.souza@durasoft.com.br"),
        (" maria+nps@gmail.com ", "maria+nps@gmail.com"),
        ("o'brien@example.com", "o'brien@example.com"),
        ("joão@empresa.com.br", "joão@empresa.com.br"),
        ("contato@açaí.com.br", "contato@açaí.com.br"),
        ("contato@xn--aa-4iaz.com.br", "contato@açaí.com.br"),
        ("INFO@Example.org", "info@example.org"),
    ],
)
def test_valid_emails(text: str, stored: str) -> None:
    assert parse_email(text) == stored
    assert parse_email(text) == stored  # from the cache


@pytest.mark.parametrize(
    "text",
    [
        "ana",
        "ana@",
        "@gmail.com",
        "ana..souza@gmail.com",
        ".ana@gmail.com",
        "ana@gmail",
        "x@localhost",
        "a@b.local",
        "a@[192.168.0.1]",
        '"ana souza"@gmail.com',
        "Ana <ana@gmail.com>",
        "ana@gmail.com; bia@gmail.com",
        "ana@-gmail.com",
        "ana@gmail.com.",
        9,
    ],
)
def test_invalid_emails(text: object) -> None:
    assert reason_of(parse_email, text) == "invalid_email"
    assert reason_of(parse_email, text) == "invalid_email"


def test_email_detail_names_the_address() -> None:
    with pytest.raises(RowError, match=r"e-mail 'x@localhost': .*special-use|e-mail 'x@local"):
        parse_email("x@localhost")


@pytest.mark.parametrize("value", [None, "", "   "])
def test_empty_email_is_none(value: object) -> None:
    assert parse_email(value) is None


@pytest.mark.parametrize(
    "text",
    ["ana.souza@durasoft.com.br", "Maria_1+nps@Gmail.com", "a!#$%&'*+/=?^_`{|}~-@x.com.br"],
)
def test_common_addresses_take_the_fast_path(text: str) -> None:
    fast = contacts._email_fast(text)
    assert fast == (True, full_verdict(text))


ATOM = string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~-"
LOCAL_CHARS = ATOM + '.."@ \\()<>[],;:\tçãéüßİﬁ\u0301\u200bａ'
LABEL_CHARS = string.ascii_letters + string.digits + "---_çãéüßİﬁ\u0301\u200b．。 "
SPECIAL = ["localhost", "local", "test", "invalid", "onion", "arpa", "example", "com"]


def label(max_size: int = 70) -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(LABEL_CHARS, min_size=0, max_size=max_size),
        st.text(string.ascii_lowercase, min_size=1, max_size=max_size),
        st.sampled_from(["xn--aa-yia6d", "xn--", "ab--cd", "a" * 63, "a" * 64, "COM", "br"]),
    )


plausible_domains = st.builds(
    lambda labels, tld: ".".join([*labels, tld]),
    st.lists(
        st.from_regex(r"[A-Za-z0-9çãÉ]([A-Za-z0-9çãÉ-]{0,20}[A-Za-z0-9])?", fullmatch=True),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from(["com", "com.br", "COM.BR", "org", "gov.br", "xn--p1ai", "рф", "local"]),
)
domains = st.one_of(
    plausible_domains,
    plausible_domains,
    st.builds(
        lambda labels, tld, dot: ".".join([*labels, tld]) + dot,
        st.lists(label(), min_size=0, max_size=5),
        st.one_of(st.sampled_from(SPECIAL), label(10), st.just("com.br")),
        st.sampled_from(["", "", "", "."]),
    ),
    st.sampled_from(
        ["[192.168.0.1]", "[IPv6:::1]", "192.168.0.1", "b.local", "a.b.test", "gmail.com"]
    ),
    st.builds(lambda n: ("a" * 62 + ".") * n + "com", st.integers(1, 4)),
)
locals_ = st.one_of(
    st.from_regex(r"[A-Za-z0-9_+-]{1,20}(\.[A-Za-z0-9'+-]{1,20}){0,2}", fullmatch=True),
    st.text(ATOM + ".", min_size=0, max_size=70),
    st.text(LOCAL_CHARS, min_size=0, max_size=12),
    st.builds(lambda n: "x" * n, st.integers(60, 70)),
    st.from_regex(r'"[a-z @.]{0,8}"', fullmatch=True),
)
plain_addresses = st.builds(lambda local, domain: f"{local}@{domain}", locals_, domains)
addresses = st.one_of(
    plain_addresses,
    plain_addresses,
    plain_addresses,
    st.builds(lambda local, domain: f"Ana <{local}@{domain}>", locals_, domains),
    st.builds(lambda local, domain: f"{local}@@{domain}", locals_, domains),
)


@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
@given(addresses)
def test_email_fast_path_agrees_with_email_validator(text: str) -> None:
    expected = full_verdict(text)
    fast = contacts._email_fast(text)
    if fast is not contacts._Full.NEEDED:
        valid, result = fast
        assert (result if valid else None) == expected
    stripped = full_verdict(text.strip())
    if stripped is None:
        with pytest.raises(RowError, match="e-mail") as caught:
            parse_email(text)
        assert caught.value.reason == "invalid_email"
    else:
        assert parse_email(text) == stripped


@given(st.sampled_from(["a", "Ana.Souza", "x" * 64]), st.integers(180, 260))
def test_email_length_limit_on_the_fast_path(local: str, size: int) -> None:
    labels, rest = divmod(size, 50)
    domain = ".".join(["d" * 49] * labels + ["c" * max(rest, 2)])
    text = f"{local}@{domain}"
    fast = contacts._email_fast(text)
    if fast is not contacts._Full.NEEDED:
        assert (fast[1] if fast[0] else None) == full_verdict(text)
    assert (parse_email(text) if full_verdict(text) else None) == full_verdict(text)


def test_caches_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cells, "CACHE_SIZE", 3)
    for n in range(10):
        parse_email(f"user{n}@example.com")
        parse_phone(f"(11) 98765-43{n:02d}")
        parse_cnpj(make_cnpj(f"1122233{n}"))
    assert len(contacts._EMAILS) <= 3
    assert len(contacts._PHONES) <= 3
    assert len(contacts._CNPJS) <= 3


# -- phones ----------------------------------------------------------------------------------

PHONE_SHAPES = [
    "({ddd}) {head}-{tail}",
    "{ddd}{head}{tail}",
    "{ddd} {head}{tail}",
    "{ddd} {head}-{tail}",
    "+55 {ddd} {head}-{tail}",
    "+55 ({ddd}) {head} {tail}",
    "+55{ddd}{head}{tail}",
    "0{ddd}{head}{tail}",
    "0 {ddd} {head}-{tail}",
    "(0{ddd}) {head}-{tail}",
    "{ddd}.{head}.{tail}",
    "({ddd}){head}-{tail} ",
    "55{ddd}{head}{tail}",
    "+{ddd}{head}{tail}",
    "-{ddd}-{head}-{tail}-",
]


def phone_texts(ddd: str, number: str) -> list[str]:
    head, tail = number[:-4], number[-4:]
    return [shape.format(ddd=ddd, head=head, tail=tail) for shape in PHONE_SHAPES]


@pytest.mark.parametrize("ddd", [f"{n:02d}" for n in range(100)])
def test_phone_fast_path_agrees_with_phonenumbers_for_every_area_code(ddd: str) -> None:
    numbers = [f"{first}{n:07d}" for first in "2345" for n in (0, 1234567, 9999999)]
    numbers += [f"9{n:08d}" for n in (0, 12345678, 87654321, 99999999)]
    numbers += ["1234567", "61234567", "71234567", "12345678", "912345678", "8123456789"]
    for number in numbers:
        for text in phone_texts(ddd, number):
            fast = contacts._phone_fast(text)
            if fast is not None:
                assert fast == normalize_phone(text), text
    # The common shapes of every real DDD take the fast path.
    real = ddd in contacts._DDDS
    for number in ("23456789", "987654321"):
        expected = f"+55{ddd}{number}" if real else None
        assert contacts._phone_fast(f"({ddd}) {number[:-4]}-{number[-4:]}") == expected
        assert contacts._phone_fast(f"+55 {ddd} {number}") == expected
        assert contacts._phone_fast(f"0{ddd}{number}") == expected


@settings(max_examples=1000)
@given(
    st.integers(0, 99),
    st.one_of(
        st.from_regex(r"[2-5][0-9]{7}", fullmatch=True),
        st.from_regex(r"9[0-9]{8}", fullmatch=True),
        st.from_regex(r"[0-9]{6,10}", fullmatch=True),
    ),
    st.sampled_from(PHONE_SHAPES),
)
def test_phone_fast_path_agrees_on_random_numbers(ddd: int, number: str, shape: str) -> None:
    text = shape.format(ddd=f"{ddd:02d}", head=number[:-4], tail=number[-4:])
    fast = contacts._phone_fast(text)
    if fast is not None:
        assert fast == normalize_phone(text)
    expected = normalize_phone(text.strip())
    if expected is None:
        assert reason_of(parse_phone, text) == "invalid_phone"
    else:
        assert parse_phone(text) == expected


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("(11) 98765-4321", "+5511987654321"),
        ("11 3456-7890", "+551134567890"),
        ("+55 21 99876-5432", "+5521998765432"),
        ("0800 123 4567", "+558001234567"),
        ("+1 212 555 0100", "+12125550100"),
        (11987654321, "+5511987654321"),
        (11987654321.0, "+5511987654321"),
        (None, None),
        ("", None),
    ],
)
def test_phones(value: object, stored: str | None) -> None:
    assert parse_phone(value) == stored


@pytest.mark.parametrize("value", ["123", "telefone", "(20) 3456-7890", "(11) 1234-5678"])
def test_bad_phones(value: object) -> None:
    assert reason_of(parse_phone, value) == "invalid_phone"
    assert reason_of(parse_phone, value) == "invalid_phone"


# -- flags -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["Sim", "SIM", "s", "S", "yes", "Y", "true", "TRUE", "1", "x", "X", " sim ", True, 1]
)
def test_true_flags(value: object) -> None:
    assert parse_flag(value) is True


@pytest.mark.parametrize(
    "value",
    ["Não", "NÃO", "nao", "N", "n", "no", "false", "0", "", "  ", None, False, 0, 0.0],
)
def test_false_flags(value: object) -> None:
    assert parse_flag(value) is False


@pytest.mark.parametrize("value", ["talvez", "2", 2, "sim!", 0.5])
def test_bad_flags(value: object) -> None:
    assert reason_of(parse_flag, value) == "invalid_flag"


# -- text ------------------------------------------------------------------------------------


def test_markup_is_kept_and_escapes_removed() -> None:
    assert parse_text(MARKUP) == MARKUP
    assert parse_text(f"antes{ESCAPES}depois") == "antesdepois"
    assert parse_text("  linha 1\r\nlinha 2\tfim\x00  ") == "linha 1\nlinha 2\tfim"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, None),
        ("", None),
        ("  \n ", None),
        (ESCAPES, None),
        ("  Ana  ", "Ana"),
        (9.0, "9"),
        (9.5, "9.5"),
        (104016, "104016"),
        ("São João", "São João"),
    ],
)
def test_text_cells(value: object, text: str | None) -> None:
    assert parse_text(value) == text


def test_text_over_the_limit_is_too_long() -> None:
    assert parse_text("x" * 10_000) == "x" * 10_000
    assert reason_of(parse_text, "x" * 10_001) == "too_long"
    assert reason_of(parse_text, "abcd", 3) == "too_long"


@pytest.mark.parametrize(
    ("value", "line"),
    [
        (None, None),
        (" \r\n\t ", None),
        ("João\r\n  Araújo", "João Araújo"),
        ("Padaria\tPão\rQuente", "Padaria Pão Quente"),
        ("  Ana\u2028 Lima\x85Souza\x0b\x0c ", "Ana Lima Souza"),
        (f"Bia{ESCAPES} \n Reis", "Bia Reis"),
        (f" {ESCAPES} ", None),
        (9.0, "9"),
        (MARKUP, MARKUP),
    ],
)
def test_single_line_text_has_its_whitespace_collapsed(value: object, line: str | None) -> None:
    assert parse_line(value) == line


def test_single_line_text_over_the_limit_is_too_long() -> None:
    assert parse_line("x " * 5_000) == ("x " * 5_000).strip()
    assert reason_of(parse_line, "x" * 10_001) == "too_long"


def test_details_are_one_clean_line() -> None:
    with pytest.raises(RowError) as caught:
        parse_score(f"nove{ESCAPES}\nmeia" + "x" * 100)
    detail = caught.value.detail
    assert "\x1b" not in detail
    assert "\n" not in detail
    assert len(detail) < 100
