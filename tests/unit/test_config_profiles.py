"""Import profiles in the settings file: `[profiles.NAME]` and `[profiles.NAME.map]`."""

from __future__ import annotations

from pathlib import Path

import pytest

from npsdesk.config.settings import ConfigError, load_settings


def settings_from(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(config_path=path, env={})


def test_a_profile_with_options_and_columns(tmp_path: Path) -> None:
    settings = settings_from(
        tmp_path,
        '[profiles.wehelp]\nkind = "responses"\nsource = "wehelp"\nencoding = "cp1252"\n'
        'internal = false\n[profiles.wehelp.map]\nscore = "Nota final"\n',
    )
    profile = settings.profile("wehelp")
    assert (profile.kind, profile.source, profile.encoding, profile.internal) == (
        "responses",
        "wehelp",
        "cp1252",
        False,
    )
    assert dict(profile.columns) == {"score": "Nota final"}


def test_no_profiles_is_fine_and_an_unknown_one_is_named(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, 'timezone = "America/Manaus"\n')
    assert settings.profiles == {}
    with pytest.raises(ConfigError, match=r"no import profile 'x' .*none defined"):
        settings.profile("x")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[profiles.a]\nkinds = "responses"\n', r"unknown setting 'profiles.a.kinds'.*'kind'"),
        ('[profiles.a]\nkind = "answers"\n', "must be one of responses, customers"),
        ("[profiles.a]\ninternal = 1\n", "must be true or false"),
        ('[profiles.a]\nsource = ""\n', "non-empty text"),
        ("[profiles.a.map]\nscore = 3\n", 'field = "Header"'),
        ('profiles = "x"\n', "must be a section"),
    ],
)
def test_profile_mistakes_name_the_key_and_file(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as error:
        settings_from(tmp_path, text)
    assert str(tmp_path / "config.toml") in str(error.value)


def test_keys_section_remaps_desk_bindings(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keys]\n"desk.archive" = "A"\n"desk.note" = "N, ctrl+n"\n', encoding="utf-8")
    settings = load_settings(config_path=path, env={})
    assert dict(settings.keymap) == {"desk.archive": "A", "desk.note": "N,ctrl+n"}


def test_unquoted_binding_ids_get_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keys]\ndesk.archive = "A"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="quote the binding id"):
        load_settings(config_path=path, env={})
