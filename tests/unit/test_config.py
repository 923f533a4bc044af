"""Settings: defaults < file < environment < flags, and clear one-line errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from npsdesk.config import locations
from npsdesk.config import settings as config
from npsdesk.config.settings import (
    ConfigError,
    Settings,
    default_language,
    describe,
    load_settings,
)

FULL_FILE = """\
store = "/srv/npsdesk/from-file.sqlite"
store_wait = 10
timezone = "Europe/Lisbon"
language = "en"
analyst = "ana"
date_format = "%d.%m.%Y"

[deadlines]
detractor = 2
neutral = 4
promoter = 6

[mail]
transport = "file"
folder = "/srv/npsdesk/mail"
host = "smtp.example.com.br"
port = 465
security = "tls"
username = "loop@example.com.br"
timeout = 10
from_address = "loop@example.com.br"

[mail.inbox]
host = "imap.example.com.br"
port = 143
security = "starttls"
username = "loop@example.com.br"
folder = "Respostas NPS"
after = "move"
move_to = "npsdesk/lidas"
maildir = "/srv/npsdesk/Maildir"
every = 300
attachment_cap = 5

[promoters]
thank_you = "send"
close_type = "praise"
close_category = "Elogio"

[bonus]
neutrals = true

[campaigns]
min_days = 60
"""


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point platformdirs (and HOME) at tmp_path so nothing real is read."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NPSDESK_CONFIG", raising=False)
    return tmp_path


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def load(path: Path, env: dict[str, str] | None = None, **flags: object) -> Settings:
    return load_settings(config_path=path, env=env or {}, flags=flags)


def error_of(path: Path, env: dict[str, str] | None = None, **flags: object) -> str:
    with pytest.raises(ConfigError) as info:
        load(path, env, **flags)
    message = str(info.value)
    assert "\n" not in message
    return message


# --- locations ---------------------------------------------------------------------------


def test_locations_follow_xdg_at_call_time(isolated: Path) -> None:
    assert locations.config_dir() == isolated / "xdg-config" / "npsdesk"
    assert locations.data_dir() == isolated / "xdg-data" / "npsdesk"
    assert locations.config_file({}) == isolated / "xdg-config" / "npsdesk" / "config.toml"
    assert locations.default_store() == isolated / "xdg-data" / "npsdesk" / "npsdesk.sqlite"


def test_config_file_from_env(isolated: Path) -> None:
    chosen = isolated / "elsewhere.toml"
    assert locations.config_file({"NPSDESK_CONFIG": str(chosen)}) == chosen


def test_env_config_picks_the_file(isolated: Path) -> None:
    path = write(isolated, 'analyst = "bia"\n')
    settings = load_settings(env={"NPSDESK_CONFIG": str(path)})
    assert settings.analyst == "bia"
    assert settings.config_path == path


# --- precedence and sources --------------------------------------------------------------


def test_defaults_without_a_file(isolated: Path) -> None:
    settings = load(isolated / "missing.toml", {"LANG": "pt_BR.UTF-8"})
    assert settings.store == str(isolated / "xdg-data" / "npsdesk" / "npsdesk.sqlite")
    assert settings.timezone == "America/Sao_Paulo"
    assert settings.language == "pt"
    assert settings.analyst  # the login name, or "analyst"
    assert settings.date_format == ""
    assert (settings.deadline_detractor, settings.deadline_neutral) == (1, 3)
    assert settings.deadline_promoter == 5
    assert settings.config_path is None
    assert set(settings.sources.values()) == {"default"}
    assert list(settings.sources) == [key.dotted for key in config.KEYS]
    assert str(settings.tz) == "America/Sao_Paulo"


def test_default_config_path_comes_from_locations(isolated: Path) -> None:
    path = isolated / "xdg-config" / "npsdesk" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text("[deadlines]\nneutral = 7\n", encoding="utf-8")
    settings = load_settings(env={})
    assert settings.deadline_neutral == 7
    assert settings.config_path == path


def test_file_overrides_defaults(isolated: Path) -> None:
    path = write(isolated, FULL_FILE)
    settings = load(path)
    assert settings.store == "/srv/npsdesk/from-file.sqlite"
    assert settings.timezone == "Europe/Lisbon"
    assert settings.language == "en"
    assert settings.analyst == "ana"
    assert settings.date_format == "%d.%m.%Y"
    assert settings.store_wait == 10
    assert (settings.deadline_detractor, settings.deadline_neutral) == (2, 4)
    assert settings.deadline_promoter == 6
    assert (settings.mail_transport, settings.mail_port, settings.mail_security) == (
        "file",
        465,
        "tls",
    )
    assert (settings.thank_you, settings.thank_you_category, settings.bonus_neutrals) == (
        "send",
        "Elogio",
        True,
    )
    assert (settings.mail_inbox_host, settings.mail_inbox_port, settings.mail_inbox_security) == (
        "imap.example.com.br",
        143,
        "starttls",
    )
    assert (settings.mail_inbox_folder, settings.mail_inbox_after, settings.mail_inbox_move_to) == (
        "Respostas NPS",
        "move",
        "npsdesk/lidas",
    )
    assert (settings.mail_inbox_every, settings.mail_inbox_attachment_cap) == (300, 5)
    assert settings.config_path == path
    assert set(settings.sources.values()) == {"file"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[mail]\nport = 70000\n", "must be a port number (1-65535), got 70000"),
        ('[mail]\nsecurity = "ssl"\n', "must be one of starttls, tls, none"),
        ('[bonus]\nneutrals = "sim"\n', "must be true or false"),
        ('[mail]\npassword = "x"\n', "unknown setting 'mail.password'"),
    ],
)
def test_mail_settings_are_checked(isolated: Path, text: str, message: str) -> None:
    with pytest.raises(config.ConfigError, match=re.escape(message)):
        load(write(isolated, text))


def test_flag_settings_parse_from_the_environment(isolated: Path) -> None:
    settings = load_settings(env={"NPSDESK_BONUS_NEUTRALS": "yes", "NPSDESK_MAIL_PORT": "2525"})
    assert settings.bonus_neutrals is True
    assert settings.mail_port == 2525


def test_partial_file_keeps_other_defaults(isolated: Path) -> None:
    settings = load(write(isolated, "[deadlines]\npromoter = 10\n"))
    assert settings.deadline_promoter == 10
    assert settings.deadline_neutral == 3
    assert settings.sources["deadlines.promoter"] == "file"
    assert settings.sources["deadlines.neutral"] == "default"


def test_env_overrides_file(isolated: Path) -> None:
    env = {
        "NPSDESK_STORE": "/tmp/env.sqlite",
        "NPSDESK_TIMEZONE": "UTC",
        "NPSDESK_LANGUAGE": "pt",
        "NPSDESK_DEADLINES_NEUTRAL": "9",
        "NPSDESK_SOMETHING_ELSE": "ignored",
    }
    settings = load(write(isolated, FULL_FILE), env)
    assert settings.store == "/tmp/env.sqlite"
    assert settings.timezone == "UTC"
    assert settings.language == "pt"
    assert settings.deadline_neutral == 9
    assert settings.deadline_detractor == 2
    assert settings.sources["store"] == "env NPSDESK_STORE"
    assert settings.sources["deadlines.neutral"] == "env NPSDESK_DEADLINES_NEUTRAL"
    assert settings.sources["deadlines.detractor"] == "file"


def test_empty_env_var_counts_as_unset(isolated: Path) -> None:
    settings = load(write(isolated, FULL_FILE), {"NPSDESK_ANALYST": ""})
    assert settings.analyst == "ana"
    assert settings.sources["analyst"] == "file"


def test_flags_override_env(isolated: Path) -> None:
    env = {"NPSDESK_STORE": "/tmp/env.sqlite", "NPSDESK_DEADLINES_NEUTRAL": "9"}
    flags: dict[str, object] = {
        "store": "flag.sqlite",
        "deadlines.neutral": 0,
        "timezone": None,  # a flag not given
    }
    settings = load_settings(config_path=write(isolated, FULL_FILE), env=env, flags=flags)
    assert settings.store == "flag.sqlite"  # relative stays relative
    assert settings.deadline_neutral == 0
    assert settings.timezone == "Europe/Lisbon"
    assert settings.sources["store"] == "flag --store"
    assert settings.sources["deadlines.neutral"] == "flag --deadlines-neutral"
    assert settings.sources["timezone"] == "file"


def test_store_accepts_a_path_flag_and_a_url(isolated: Path) -> None:
    assert load(isolated / "none.toml", store=Path("a/b.sqlite")).store == "a/b.sqlite"
    url = "postgresql://ana@db/nps"
    assert load(isolated / "none.toml", {"NPSDESK_STORE": url}).store == url


def test_unknown_flag_is_a_programming_error(isolated: Path) -> None:
    with pytest.raises(ValueError, match="stroe"):
        load(isolated / "none.toml", stroe="x")


# --- file errors -------------------------------------------------------------------------


def test_unknown_key_suggests_the_closest(isolated: Path) -> None:
    path = write(isolated, "[deadlines]\ndetracter = 1\n")
    assert error_of(path) == (
        f"unknown setting 'deadlines.detracter' in {path} (did you mean 'deadlines.detractor'?)"
    )


def test_unknown_key_without_suggestion(isolated: Path) -> None:
    path = write(isolated, "colour = 1\n")
    assert error_of(path) == f"unknown setting 'colour' in {path}"


def test_key_outside_its_section_suggests_the_section_key(isolated: Path) -> None:
    path = write(isolated, "promoter = 5\n")
    assert "(did you mean 'deadlines.promoter'?)" in error_of(path)


def test_unknown_section(isolated: Path) -> None:
    path = write(isolated, "[deadline]\nneutral = 3\n")
    assert error_of(path) == f"unknown section 'deadline' in {path} (did you mean 'deadlines'?)"


def test_table_where_a_value_is_expected(isolated: Path) -> None:
    path = write(isolated, "[store]\npath = 'x'\n")
    message = error_of(path)
    assert message.startswith(f"setting 'store' in {path} must be a value")


def test_value_where_a_table_is_expected(isolated: Path) -> None:
    path = write(isolated, "deadlines = 3\n")
    message = error_of(path)
    assert message.startswith(f"'deadlines' in {path} must be a section")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[deadlines]\nneutral = "three"\n',
            "setting 'deadlines.neutral' in {path} must be a whole number >= 0, got \"three\"",
        ),
        (
            "[deadlines]\ndetractor = true\n",
            "setting 'deadlines.detractor' in {path} must be a whole number >= 0, got true",
        ),
        (
            "[deadlines]\npromoter = -1\n",
            "setting 'deadlines.promoter' in {path} must be a whole number >= 0, got -1",
        ),
        (
            "[deadlines]\npromoter = 1.5\n",
            "setting 'deadlines.promoter' in {path} must be a whole number >= 0, got 1.5",
        ),
        (
            'language = "es"\n',
            "setting 'language' in {path} must be one of pt, en, got \"es\"",
        ),
        (
            'timezone = "Mars/Olympus_Mons"\n',
            "setting 'timezone' in {path} must be a known IANA time zone"
            ' (like America/Sao_Paulo), got "Mars/Olympus_Mons"',
        ),
        (
            'timezone = "../../etc/passwd"\n',
            "setting 'timezone' in {path} must be a known IANA time zone"
            ' (like America/Sao_Paulo), got "../../etc/passwd"',
        ),
        (
            'date_format = "%H:%M"\n',
            "setting 'date_format' in {path} must be a date pattern with at least one of"
            ' %d %m %Y %y, got "%H:%M"',
        ),
        (
            "store = 3\n",
            "setting 'store' in {path} must be a file path or a database URL, got 3",
        ),
        (
            'analyst = ["a", "b"]\n',
            "setting 'analyst' in {path} must be a non-empty text, got a list",
        ),
    ],
)
def test_wrong_types_in_the_file(isolated: Path, text: str, expected: str) -> None:
    path = write(isolated, text)
    assert error_of(path) == expected.format(path=path)


def test_toml_syntax_error_names_file_and_line(isolated: Path) -> None:
    path = write(isolated, 'analyst = "ana"\n[deadlines]\nneutral = = 3\n')
    message = error_of(path)
    assert message.startswith(f"cannot read {path}: ")
    assert "line 3" in message


def test_unreadable_file(isolated: Path) -> None:
    folder = isolated / "a-folder.toml"
    folder.mkdir()
    assert error_of(folder).startswith(f"cannot read {folder}: ")


def test_file_not_utf8(isolated: Path) -> None:
    path = isolated / "config.toml"
    path.write_bytes(b'analyst = "\xff"\n')
    assert error_of(path).startswith(f"cannot read {path}: ")


def test_empty_date_format_in_file_is_allowed(isolated: Path) -> None:
    settings = load(write(isolated, 'language = "en"\ndate_format = ""\n'))
    assert settings.effective_date_format() == "%Y-%m-%d"


# --- environment and flag errors ---------------------------------------------------------


def test_env_parse_error_names_the_variable(isolated: Path) -> None:
    message = error_of(isolated / "none.toml", {"NPSDESK_DEADLINES_NEUTRAL": "x"})
    assert message == "NPSDESK_DEADLINES_NEUTRAL must be a whole number >= 0, got 'x'"


@pytest.mark.parametrize("text", ["-1", "1.0", "٣", "", " "])
def test_env_ints_are_plain_digits(isolated: Path, text: str) -> None:
    env = {"NPSDESK_DEADLINES_PROMOTER": text}
    if text == "":  # unset
        assert load(isolated / "none.toml", env).deadline_promoter == 5
        return
    assert error_of(isolated / "none.toml", env).startswith("NPSDESK_DEADLINES_PROMOTER must be")


def test_env_int_with_spaces(isolated: Path) -> None:
    env = {"NPSDESK_DEADLINES_PROMOTER": " 12 "}
    assert load(isolated / "none.toml", env).deadline_promoter == 12


def test_env_bad_timezone_and_language(isolated: Path) -> None:
    assert error_of(isolated / "none.toml", {"NPSDESK_TIMEZONE": "Nowhere"}) == (
        "NPSDESK_TIMEZONE must be a known IANA time zone (like America/Sao_Paulo), got 'Nowhere'"
    )
    assert error_of(isolated / "none.toml", {"NPSDESK_LANGUAGE": "fr"}) == (
        "NPSDESK_LANGUAGE must be one of pt, en, got 'fr'"
    )


def test_flag_error_names_the_flag(isolated: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(config_path=isolated / "none.toml", env={}, flags={"deadlines.neutral": -2})
    assert str(info.value) == "flag --deadlines-neutral must be a whole number >= 0, got -2"


# --- language, store, date format --------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"LANG": "pt_BR.UTF-8"}, "pt"),
        ({"LANG": "pt_PT"}, "pt"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "pt_BR.UTF-8"}, "en"),
        ({"LC_ALL": "pt_BR.UTF-8", "LANG": "en_US.UTF-8"}, "pt"),
        ({"LC_MESSAGES": "pt_BR.UTF-8", "LANG": "en_US.UTF-8"}, "pt"),
        ({"LC_ALL": "", "LC_MESSAGES": "en_GB", "LANG": "pt_BR"}, "en"),
        ({}, "en"),
    ],
)
def test_default_language_from_locale(env: dict[str, str], expected: str) -> None:
    assert default_language(env) == expected


def test_language_default_follows_locale_in_settings(isolated: Path) -> None:
    assert load(isolated / "none.toml", {"LANG": "en_US.UTF-8"}).language == "en"
    assert load(isolated / "none.toml", {"LANG": "pt_BR.UTF-8"}).language == "pt"
    assert load(isolated / "none.toml", {}).language == "en"


def test_file_language_beats_locale(isolated: Path) -> None:
    settings = load(write(isolated, 'language = "pt"\n'), {"LANG": "en_US.UTF-8"})
    assert settings.language == "pt"


def test_store_tilde_is_expanded(isolated: Path) -> None:
    home = isolated / "home"
    settings = load(write(isolated, 'store = "~/nps/desk.sqlite"\n'))
    assert settings.store == str(home / "nps" / "desk.sqlite")
    from_env = load(isolated / "none.toml", {"NPSDESK_STORE": "~/e.sqlite"})
    assert from_env.store == str(home / "e.sqlite")


def test_relative_store_stays_relative(isolated: Path) -> None:
    settings = load(write(isolated, 'store = "./data/x.sqlite"\n'))
    assert settings.store == "./data/x.sqlite"


@pytest.mark.parametrize(
    ("language", "date_format", "expected"),
    [
        ("pt", "", "%d/%m/%Y"),
        ("en", "", "%Y-%m-%d"),
        ("en", "%d %b %Y", "%d %b %Y"),
    ],
)
def test_effective_date_format(language: str, date_format: str, expected: str) -> None:
    settings = Settings(store="x.sqlite", language=language, date_format=date_format)
    assert settings.effective_date_format() == expected


# --- describe ----------------------------------------------------------------------------


def test_describe_order_values_and_sources(isolated: Path) -> None:
    path = write(isolated, 'timezone = "UTC"\n[deadlines]\nneutral = 4\n')
    env = {"NPSDESK_ANALYST": "carla", "LANG": "pt_BR.UTF-8"}
    settings = load_settings(config_path=path, env=env, flags={"store": "s.sqlite"})
    rows = describe(settings)
    assert [row[0] for row in rows] == [
        "store",
        "store_wait",
        "timezone",
        "language",
        "analyst",
        "date_format",
        "deadlines.detractor",
        "deadlines.neutral",
        "deadlines.promoter",
        "mail.transport",
        "mail.folder",
        "mail.host",
        "mail.port",
        "mail.security",
        "mail.username",
        "mail.timeout",
        "mail.from_address",
        "mail.inbox.host",
        "mail.inbox.port",
        "mail.inbox.security",
        "mail.inbox.username",
        "mail.inbox.folder",
        "mail.inbox.after",
        "mail.inbox.move_to",
        "mail.inbox.maildir",
        "mail.inbox.every",
        "mail.inbox.attachment_cap",
        "promoters.thank_you",
        "promoters.close_type",
        "promoters.close_category",
        "bonus.neutrals",
        "campaigns.min_days",
    ]
    as_dict = {key: (value, source) for key, value, source in rows}
    assert as_dict["store"] == ("s.sqlite", "flag --store")
    assert as_dict["timezone"] == ("UTC", str(path))
    assert as_dict["language"] == ("pt", "default")
    assert as_dict["analyst"] == ("carla", "env NPSDESK_ANALYST")
    assert as_dict["date_format"] == ("%d/%m/%Y", "default")
    assert as_dict["deadlines.detractor"] == ("1", "default")
    assert as_dict["deadlines.neutral"] == ("4", str(path))


def test_every_key_maps_to_a_settings_field() -> None:
    fields = set(Settings.__dataclass_fields__)
    for key in config.KEYS:
        assert key.field in fields
        assert key.env_var.startswith(config.ENV_PREFIX)
    assert config.KEYS[0].env_var == "NPSDESK_STORE"
    assert config.KEYS[-1].env_var == "NPSDESK_CAMPAIGNS_MIN_DAYS"


def test_settings_are_hashable_and_frozen() -> None:
    settings = Settings(store="x.sqlite")
    hash(settings)
    with pytest.raises(AttributeError):
        settings.store = "y"  # type: ignore[misc]
