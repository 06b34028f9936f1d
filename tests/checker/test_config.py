"""Configuration: strict validation (file and key named), per-directory discovery, overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.config import ConfigError, ConfigResolver, settings_from_table, settings_hash
from checker.model import Settings, Severity


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_every_contract_key_is_accepted() -> None:
    table = {
        "select": ["OA"], "ignore": ["OA402"], "exclude": ["migrations/**"],
        "per-file-ignores": {"tests/**": ["OA101", "OA102"]}, "severity": {"OA402": "low"}, "fail-on": "high",
        "token-endpoints": ["https://auth.aelix.digitalapi.ai/oauth2/token"],
        "allowed-http-hosts": ["localhost", "*.internal.test"], "refresh-margin-seconds": 90,
        "max-secret-age-days": 30, "profile": "aelix", "scope-map": {"GET /v1/accounts": "banking:read"},
        "secrets": [{"name": "aelix-client-secret", "last-rotated": "2026-09-01"}],
    }
    s = settings_from_table(table, "pyproject.toml")
    assert s.fail_on == Severity.HIGH and s.refresh_margin_seconds == 90
    assert s.severity == (("OA402", Severity.LOW),)
    assert s.scope_map == (("GET /v1/accounts", "banking:read"),)
    assert s.secrets[0].last_rotated == "2026-09-01"


@pytest.mark.parametrize(
    ("table", "needle"),
    [
        ({"selct": ["OA"]}, "unknown key 'selct'"),
        ({"select": "OA999"}, "unknown rule id or prefix 'OA999'"),
        ({"fail-on": "severe"}, "fail-on"),
        ({"refresh-margin-seconds": "60"}, "refresh-margin-seconds"),
        ({"refresh-margin-seconds": True}, "refresh-margin-seconds"),
        ({"profile": "okta"}, "profile"),
        ({"scope-map": {"FETCH accounts": "x"}}, "scope-map"),
        ({"secrets": [{"name": "x"}]}, "last-rotated"),
        ({"secrets": [{"name": "x", "last-rotated": "yesterday"}]}, "last-rotated"),
        ({"severity": {"OA777": "low"}}, "OA777"),
        ({"per-file-ignores": ["tests/**"]}, "per-file-ignores"),
    ],
)
def test_bad_config_names_file_and_key(table: dict, needle: str) -> None:
    with pytest.raises(ConfigError) as info:
        settings_from_table(table, "pkg/pyproject.toml")
    assert "pkg/pyproject.toml" in str(info.value) and needle in str(info.value)


def test_nearest_config_governs_each_file(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.credlint]\nrefresh-margin-seconds = 100\n")
    write(tmp_path / "pkg" / ".credlint.toml", "refresh-margin-seconds = 200\n")
    write(tmp_path / "other" / "pyproject.toml", "[project]\nname = 'x'\n")  # no credlint table
    resolver = ConfigResolver(tmp_path)
    assert resolver.for_file(tmp_path / "a.py").refresh_margin_seconds == 100
    assert resolver.for_file(tmp_path / "pkg" / "deep" / "b.py").refresh_margin_seconds == 200
    assert resolver.for_file(tmp_path / "other" / "c.py").refresh_margin_seconds == 100


def test_package_patterns_are_rebased_to_the_root(tmp_path: Path) -> None:
    write(tmp_path / "pkg" / ".credlint.toml", 'exclude = ["gen/**", "*.min.js"]\n')
    settings = ConfigResolver(tmp_path).for_file(tmp_path / "pkg" / "x.py")
    assert settings.exclude == ("pkg/gen/**", "*.min.js")


def test_forced_config_and_cli_overrides(tmp_path: Path) -> None:
    forced = write(tmp_path / "ci.toml", "fail-on = 'medium'\n")
    write(tmp_path / "pkg" / ".credlint.toml", "fail-on = 'low'\n")
    resolver = ConfigResolver(tmp_path, forced, {"strict": True})
    settings = resolver.for_file(tmp_path / "pkg" / "x.py")
    assert settings.fail_on == Severity.MEDIUM and settings.strict


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    write(tmp_path / ".credlint.toml", "select = [\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        ConfigResolver(tmp_path).for_file(tmp_path / "x.py")


def test_settings_hash_changes_with_settings() -> None:
    assert settings_hash(Settings()) != settings_hash(Settings(refresh_margin_seconds=61))
    assert settings_hash(Settings()) == settings_hash(Settings())
