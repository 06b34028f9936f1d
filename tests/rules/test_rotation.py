"""OA601 stale-secret (real git repositories with backdated commits) and OA602 rotation policies
(Terraform and CloudFormation fixtures in tests/fixtures/rotation)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from checker.gitinfo import GitRepo
from checker.model import Fact, SecretInventoryEntry, Settings
from checker.rule import ProjectContext
from checker.testing import run_rules
from rules._analysis.iac import (
    Unknown,
    cfn_templates,
    go_duration_seconds,
    hcl_value,
    iso_duration_max_days,
    parse_hcl,
    schedule_gap,
)
from rules.rotation.oa601_stale_secret import StaleSecret, _value_on_line, sealed_secret_lines, sops_lastmodified
from rules.rotation.oa602_rotation_policy_too_long import RotationPolicyTooLong
from tests.checker.test_gitinfo import GitBuilder, _isolated_git  # noqa: F401 - fixture re-export

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rotation"
HAS_GIT = shutil.which("git") is not None
needs_git = pytest.mark.skipif(not HAS_GIT, reason="git is not installed")

SECRET = "Zx8kq2LmP0aa77fghT5vW9yB3nD6pR1sU4xA"
NOW = dt.date(2026, 8, 3)


# ---------------------------------------------------------------------------------------------------
# OA602 on fixtures


def _expected(path: Path) -> list[int]:
    return [n for n, line in enumerate(path.read_text().splitlines(), start=1) if "# expect" in line]


@pytest.mark.parametrize(
    "name",
    ["aws_rotation.tf", "aws_unresolved_target.tf", "azure.tf", "gcp_vault.tf", "cloudformation.yaml", "external-secret.yaml"],
)
def test_oa602_fixture_lines(name: str) -> None:
    path = FIXTURES / name
    result = run_rules(path.read_text(), path=name, rules=(RotationPolicyTooLong,))
    assert sorted(f.line for f in result.findings) == _expected(path), [(f.line, f.message) for f in result.findings]


def test_oa602_cloudformation_json_with_tabs() -> None:
    path = FIXTURES / "cloudformation.json"
    result = run_rules(path.read_text(), path="template.json", rules=(RotationPolicyTooLong,))
    assert [f.line for f in result.findings] == [9]
    assert "365 days" in result.findings[0].message
    assert [n.line for n in result.notes if n.kind == "rotation-unknown"] == [16]


def test_oa602_unresolvable_values_are_notes_not_findings() -> None:
    result = run_rules((FIXTURES / "aws_rotation.tf").read_text(), path="main.tf", rules=(RotationPolicyTooLong,))
    notes = [n for n in result.notes if n.kind == "rotation-unknown"]
    assert [n.line for n in notes] == [93]
    assert "var.external_days" in notes[0].message
    cfn = run_rules((FIXTURES / "cloudformation.yaml").read_text(), path="template.yaml", rules=(RotationPolicyTooLong,))
    assert [n.line for n in cfn.notes if n.kind == "rotation-unknown"] == [32]


def test_oa602_messages_name_the_interval_and_the_limit() -> None:
    result = run_rules((FIXTURES / "aws_rotation.tf").read_text(), path="main.tf", rules=(RotationPolicyTooLong,))
    by_line = {f.line: f.message for f in result.findings}
    assert "123 days" in by_line[37] and "longer than 90 days" in by_line[37]
    assert "184 days" in by_line[47]
    assert "no rotation" in by_line[116]
    assert all(f.fix is not None for f in result.findings)


def test_oa602_limit_follows_max_secret_age_days() -> None:
    code = 'resource "aws_secretsmanager_secret_rotation" "r" {\n  secret_id = aws_secretsmanager_secret.s.id\n  rotation_rules {\n    automatically_after_days = 60\n  }\n}\n'
    assert run_rules(code, path="main.tf", rules=(RotationPolicyTooLong,)).findings == ()
    strict = Settings(max_secret_age_days=30)
    assert [f.line for f in run_rules(code, path="main.tf", rules=(RotationPolicyTooLong,), settings=strict).findings] == [4]


def test_oa602_broken_hcl_does_not_crash() -> None:
    code = 'resource "aws_secretsmanager_secret" "s" {\n  name = "x"\n  oops = {\n'
    result = run_rules(code, path="main.tf", rules=(RotationPolicyTooLong,))
    assert not any(n.kind == "rule-error" for n in result.notes)


# ---------------------------------------------------------------------------------------------------
# iac helpers


@pytest.mark.parametrize(
    ("expression", "days"),
    [
        ("rate(90 days)", 90),
        ("rate(1 day)", 1),
        ("rate(4 hours)", 4 / 24),
        ("cron(0 0 1 */4 ? *)", 123),
        ("cron(0 0 1 1,7 ? *)", 184),
        ("cron(0 0 1 */3 ? *)", 92),
        ("cron(0 12 ? * MON-FRI *)", 3),
        ("cron(0 4 ? * SUN#1 *)", 35),
        ("cron(0 0 L * ? *)", 31),
        ("cron(0 0 15W * ? *)", 32),
        ("cron(0 0 ? * 6L *)", 35),
        ("cron(0 0 29 2 ? *)", 1461),
        ("cron(0 0 31 2 ? *)", float("inf")),
        ("cron(0 0 1 1 ? 2025)", float("inf")),
    ],
)
def test_schedule_max_gap(expression: str, days: float) -> None:
    schedule = schedule_gap(expression)
    assert not isinstance(schedule, Unknown)
    assert schedule.max_gap_days == pytest.approx(days)


@pytest.mark.parametrize("expression", ["cron(* * * * *)", "rate(2 months)", "every day", "cron(0 0 32 * ? *)", "cron(0 0 1 */0 ? *)"])
def test_schedule_unreadable(expression: str) -> None:
    assert isinstance(schedule_gap(expression), Unknown)


def test_durations() -> None:
    assert go_duration_seconds("2160h") == 90 * 86400
    assert go_duration_seconds("1h30m") == 5400
    assert go_duration_seconds("90 days") is None
    assert iso_duration_max_days("P90D") == 90
    assert iso_duration_max_days("P3M") == 92
    assert iso_duration_max_days("P1Y") == 366
    assert iso_duration_max_days("PT2160H") == 90
    assert iso_duration_max_days("P") is None and iso_duration_max_days("90") is None


def test_hcl_parser_lines_and_values() -> None:
    text = (FIXTURES / "aws_rotation.tf").read_text()
    hcl = parse_hcl(text)
    assert hcl.errors == []
    # the block inside the heredoc is text, not a resource
    assert "not_real" not in {b.labels[1] for b in hcl.resources()}
    rotation = next(b for b in hcl.resources("aws_secretsmanager_secret_rotation") if b.labels[1] == "twice_a_year")
    rules = rotation.child("rotation_rules")
    assert rules is not None and rules.attr("schedule_expression").line == 47  # type: ignore[union-attr]
    variables = hcl.variables()
    assert hcl_value("var.slow_days", variables) == 100
    assert isinstance(hcl_value("var.external_days", variables), Unknown)
    assert hcl_value('"${local.weekly}"', variables) == "cron(0 4 ? * MON *)"
    assert isinstance(hcl_value('"svc/${var.env}"', variables), Unknown)
    assert hcl_value("90 * 2") == 180


def test_cfn_templates_ignore_other_yaml() -> None:
    assert cfn_templates((FIXTURES / "external-secret.yaml").read_text()) == []
    assert cfn_templates("a: [unclosed") == []
    assert len(cfn_templates((FIXTURES / "cloudformation.yaml").read_text())) == 1


# ---------------------------------------------------------------------------------------------------
# OA601 evidence readers


def test_sops_metadata_formats() -> None:
    yaml_text = "a: ENC[AES256_GCM,data:x]\nsops:\n    lastmodified: '2025-11-02T09:14:03Z'\n    version: 3.9.0\n"
    when, line = sops_lastmodified(yaml_text) or (None, 0)
    assert when == dt.datetime(2025, 11, 2, 9, 14, 3, tzinfo=dt.timezone.utc) and line == 3
    json_text = '{\n "a": "ENC[...]",\n "sops": {\n  "lastmodified": "2026-02-01T10:00:00.123456789Z"\n }\n}\n'
    assert sops_lastmodified(json_text)[1] == 4  # type: ignore[index]
    assert sops_lastmodified("A=ENC[x]\nsops_lastmodified=2026-03-30T08:00:00Z\n")[1] == 2  # type: ignore[index]
    assert sops_lastmodified("[sops]\nlastmodified = 2026-03-30T08:00:00Z\n")[1] == 2  # type: ignore[index]
    assert sops_lastmodified("cache:\n  lastmodified: '2020-01-01T00:00:00Z'\n") is None
    assert sops_lastmodified('{"lastmodified": "2020-01-01T00:00:00Z"}') is None


def test_sealed_secret_lines() -> None:
    text = "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: api\nspec:\n  encryptedData:\n    client_secret: AgBy8hC...\n    api_key: AgCx9...\n  template:\n    metadata:\n      name: api\n"
    assert sealed_secret_lines(text) == {7: "client_secret", 8: "api_key"}
    assert sealed_secret_lines("kind: Secret\ndata:\n  a: b\n") == {}


def test_value_on_line() -> None:
    assert _value_on_line(f'CLIENT_SECRET = "{SECRET}"', 17) == SECRET
    assert _value_on_line(f"AELIX_CLIENT_SECRET={SECRET}", 21) == SECRET
    assert _value_on_line(f"  client_secret: {SECRET}", 18) == SECRET
    assert _value_on_line("x = 1", 1) is None


# ---------------------------------------------------------------------------------------------------
# OA601 with real repositories


def _fact(path: str, line: int, column: int = 17, rule: str = "OA101", role: str = "client secret assigned from a string literal") -> Fact:
    return Fact(kind="secret-location", path=path, line=line, column=column, rule=rule, data={"rule": rule, "role": role, "fingerprint": f"fp-{path}-{line}"})


def _project(root: Path, facts: list[Fact], *, git: bool = True, settings: Settings | None = None, now: dt.date = NOW, files: tuple[str, ...] | None = None) -> ProjectContext:
    repo = GitRepo.discover(str(root)) if git else None
    listed = files if files is not None else tuple(sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and ".git" not in p.parts))
    return ProjectContext(root=str(root), settings=settings or Settings(), now=now, facts=tuple(facts), files=listed, git=repo)


def _run(project: ProjectContext) -> ProjectContext:
    StaleSecret().check(project)
    return project


def _messages(project: ProjectContext) -> list[tuple[str, int, str]]:
    return [(path, raw.line, raw.message) for _rule, path, raw in project.reports]


def _secret_repo(root: Path, committed: str, *, path: str = "app/settings.py") -> GitBuilder:
    b = GitBuilder(root)
    b.write(path, f'import os\nCLIENT_SECRET = "{SECRET}"\n')
    b.commit(committed)
    return b


@needs_git
def test_stale_committed_secret(tmp_path: Path) -> None:
    _secret_repo(tmp_path, "2026-01-15")
    project = _run(_project(tmp_path, [_fact("app/settings.py", 2)]))
    [(path, line, message)] = _messages(project)
    assert (path, line) == ("app/settings.py", 2)
    assert "200 days old" in message and "2026-01-15" in message and "due 2026-04-15" in message
    assert "git" in message and SECRET not in message
    assert [e.status for e in project.rotation] == ["stale"]
    assert "rotation" in project.evaluated
    _rule, _path, raw = project.reports[0]
    assert SECRET not in dict(raw.properties).get("snippet", "")


@needs_git
def test_fresh_committed_secret(tmp_path: Path) -> None:
    _secret_repo(tmp_path, "2026-07-01")
    project = _run(_project(tmp_path, [_fact("app/settings.py", 2)]))
    assert project.reports == []
    assert [(e.status, e.last_rotated, e.due) for e in project.rotation] == [("ok", "2026-07-01", "2026-09-29")]
    assert "rotation" in project.evaluated


@needs_git
@pytest.mark.parametrize(("committed", "stale"), [("2026-05-05", False), ("2026-05-04", True)])
def test_exactly_90_days_is_compliant(tmp_path: Path, committed: str, stale: bool) -> None:
    _secret_repo(tmp_path, committed)
    project = _run(_project(tmp_path, [_fact("app/settings.py", 2)]))
    assert bool(project.reports) is stale
    if stale:
        assert "91 days old" in project.reports[0][2].message


@needs_git
def test_renamed_file_keeps_the_original_date(tmp_path: Path) -> None:
    b = _secret_repo(tmp_path, "2025-12-01", path="config.py")
    b.git("mv", "config.py", "settings.py")
    b.commit("2026-07-30", "rename")
    b.write("settings.py", f'import os\n\nCLIENT_SECRET  =  "{SECRET}"   # reviewed\n')  # moved and reworded
    b.commit("2026-08-01", "tidy")
    project = _run(_project(tmp_path, [_fact("settings.py", 3, column=20)]))
    [(path, line, message)] = _messages(project)
    assert (path, line) == ("settings.py", 3)
    assert "2025-12-01" in message and "245 days old" in message


@needs_git
def test_shallow_clone_is_unknown_never_fresh(tmp_path: Path) -> None:
    b = _secret_repo(tmp_path / "origin", "2025-01-15")
    b.write("README.md", "x\n")
    b.commit("2026-08-01")
    clone = b.shallow_clone(tmp_path / "clone")
    project = _run(_project(clone, [_fact("app/settings.py", 2)]))
    assert project.reports == []
    assert [e.status for e in project.rotation] == ["unknown"]
    [note] = project.notes
    assert note.kind == "rotation-unknown" and "shallow" in note.message and note.path == "app/settings.py" and note.line == 2
    assert "rotation" not in project.evaluated


def test_no_git_is_unknown(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "settings.py").write_text(f'CLIENT_SECRET = "{SECRET}"\n')
    project = _run(_project(tmp_path, [_fact("app/settings.py", 1)], git=False))
    assert project.reports == []
    assert [n.kind for n in project.notes] == ["rotation-unknown"]
    assert "no git repository" in project.notes[0].message


@needs_git
def test_uncommitted_and_untracked_are_new_ignored_is_unknown(tmp_path: Path) -> None:
    b = _secret_repo(tmp_path, "2025-01-15")
    b.write(".gitignore", "local.env\n")
    b.commit("2025-01-16")
    b.write("app/settings.py", f'import os\nCLIENT_SECRET = "{SECRET}"\nOTHER_SECRET = "Qw9{SECRET[3:]}"\n')
    b.write("app/new.py", f'API_KEY = "Aa1{SECRET[3:]}"\n')
    b.write("local.env", f"CLIENT_SECRET={SECRET}\n")
    facts = [_fact("app/settings.py", 2), _fact("app/settings.py", 3), _fact("app/new.py", 1, column=11), _fact("local.env", 1, column=15, rule="OA102")]
    project = _run(_project(tmp_path, facts))
    assert [(p, line) for p, line, _m in _messages(project)] == [("app/settings.py", 2)]
    status = {e.location: e.status for e in project.rotation}
    assert status == {"app/settings.py:2": "stale", "app/settings.py:3": "ok", "app/new.py:1": "ok", "local.env:1": "unknown"}


@needs_git
def test_blame_runs_once_per_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    b = GitBuilder(tmp_path)
    b.write(".env", "\n".join(f"SECRET_{i}=Aa{i}{SECRET}" for i in range(20)) + "\n")
    b.commit("2025-06-01")
    project = _project(tmp_path, [_fact(".env", i + 1, column=10, rule="OA102") for i in range(20)])
    calls: list[list[str]] = []
    original = GitRepo._run

    def counting(self: GitRepo, args: list[str], **kwargs: object) -> bytes | None:
        calls.append(list(args))
        return original(self, args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(GitRepo, "_run", counting)
    _run(project)
    assert len(project.reports) == 20
    assert sum(1 for c in calls if c[0] == "blame") == 1


@needs_git
def test_inventory_beats_git_and_links_by_key_and_glob(tmp_path: Path) -> None:
    b = GitBuilder(tmp_path)
    b.write("deploy/prod.env", f"AELIX_CLIENT_SECRET={SECRET}\n")
    b.write("app/settings.py", f'EXPORTER_SECRET = "Bb7{SECRET[3:]}"\n')
    b.commit("2025-01-01")
    inventory = (
        SecretInventoryEntry(name="aelix", last_rotated="2026-07-01", where=("AELIX_CLIENT_SECRET",)),
        SecretInventoryEntry(name="exporter", last_rotated="2026-01-01", where=("app/*.py",)),
    )
    facts = [_fact("deploy/prod.env", 1, column=21, rule="OA102"), _fact("app/settings.py", 1, column=20)]
    project = _run(_project(tmp_path, facts, settings=Settings(secrets=inventory)))
    [(path, line, message)] = _messages(project)
    assert (path, line) == ("app/settings.py", 1)
    assert "inventory entry 'exporter'" in message and "214 days old" in message
    assert {e.status for e in project.rotation} == {"ok", "stale"}


def test_inventory_only_reported_at_the_config_entry(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.credlint]\n\n[[tool.credlint.secrets]]\nname = "aelix"\nlast-rotated = 2026-01-15\nrotation-days = 30\n')
    settings = Settings(secrets=(SecretInventoryEntry(name="aelix", last_rotated="2026-01-15", rotation_days=30),), source=str(tmp_path / "pyproject.toml"))
    project = _run(_project(tmp_path, [], git=False, settings=settings))
    [(path, line, message)] = _messages(project)
    assert (path, line) == ("pyproject.toml", 5)
    assert "rotation-days 30" in message and "due 2026-02-14" in message


def test_sops_file_old_and_recent(tmp_path: Path) -> None:
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "old.enc.yaml").write_text("a: ENC[AES256_GCM,data:x,type:str]\nsops:\n    lastmodified: '2025-11-02T09:14:03Z'\n")
    (tmp_path / "secrets" / "new.enc.yaml").write_text("a: ENC[AES256_GCM,data:x,type:str]\nsops:\n    lastmodified: '2026-07-30T09:14:03Z'\n")
    project = _run(_project(tmp_path, [], git=False))
    [(path, line, message)] = _messages(project)
    assert (path, line) == ("secrets/old.enc.yaml", 3)
    assert "at least 274 days old" in message and "SOPS" in message
    assert sorted(e.status for e in project.rotation) == ["ok", "stale"]


@needs_git
def test_sealed_secret_dated_by_blame(tmp_path: Path) -> None:
    b = GitBuilder(tmp_path)
    manifest = "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: api\nspec:\n  encryptedData:\n    client_secret: AgBy8hCold\n    api_key: AgCx9old\n"
    b.write("k8s/sealed.yaml", manifest)
    b.commit("2025-10-01")
    b.write("k8s/sealed.yaml", manifest.replace("AgCx9old", "AgCx9new"))
    b.commit("2026-07-01")
    project = _run(_project(tmp_path, []))
    assert [(p, line) for p, line, _m in _messages(project)] == [("k8s/sealed.yaml", 7)]


def test_tests_and_self_expiring_tokens_are_skipped(tmp_path: Path) -> None:
    facts = [_fact("tests/test_auth.py", 6), _fact("app/cache.py", 3, role="access token stored in a dict literal")]
    project = _run(_project(tmp_path, facts, git=False))
    assert project.reports == [] and project.notes == [] and project.rotation == []


def test_env_template_keys_are_unknown_unless_in_inventory(tmp_path: Path) -> None:
    (tmp_path / ".env.example").write_text("AELIX_CLIENT_ID=\nAELIX_CLIENT_SECRET=\nEXPORTER_CLIENT_SECRET=\n")
    settings = Settings(secrets=(SecretInventoryEntry(name="exporter", last_rotated="2026-07-01", where=("EXPORTER_CLIENT_SECRET",)),))
    project = _run(_project(tmp_path, [], git=False, settings=settings))
    assert project.reports == []
    assert [(n.kind, n.line) for n in project.notes] == [("rotation-unknown", 2)]


@needs_git
def test_end_to_end_scan_with_secret_rules(tmp_path: Path) -> None:
    from checker.engine import ScanOptions, scan
    from checker.registry import rule_by_id

    if rule_by_id("OA101") is None:
        pytest.skip("OA101 is not registered yet")
    b = GitBuilder(tmp_path / "svc")
    b.write("app/settings.py", f'import os\n\nCLIENT_ID = "payments"\nCLIENT_SECRET = "{SECRET}"\n')
    b.commit("2026-01-10")
    result = scan(ScanOptions(paths=(b.root,), overrides={"select": ("OA101", "OA601")}, use_cache=False, now=NOW, jobs=1))
    stale = [f for f in result.findings if f.rule == "OA601"]
    assert [(f.path, f.line) for f in stale] == [("app/settings.py", 4)]
    assert SECRET not in stale[0].snippet and SECRET not in stale[0].message


def test_env_template_keys_link_to_inventory_names(tmp_path: Path) -> None:
    (tmp_path / ".env.example").write_text("AELIX_CLIENT_SECRET=\nAELIX_EXPORTER_CLIENT_SECRET=\nPARTNER_API_KEY=\n")
    inventory = (
        SecretInventoryEntry(name="payments-service/aelix-client-secret", last_rotated="2026-07-01"),
        SecretInventoryEntry(name="payments-service/aelix-exporter-client-secret", last_rotated="2026-07-02"),
    )
    project = _run(_project(tmp_path, [], git=False, settings=Settings(secrets=inventory)))
    assert project.reports == []
    assert [n.line for n in project.notes] == [3]
    assert "rotation" in project.evaluated


def test_roles_and_confidence_come_from_the_secret_findings(tmp_path: Path) -> None:
    from checker.model import Confidence
    from rules.rotation.oa601_stale_secret import _confidence, _role

    fact = _fact("a.py", 1, rule="OA103", role="high-entropy string that may be a committed credential")
    assert _role(fact) == "high-entropy string" and _confidence(fact) == Confidence.MEDIUM
    assert _role(_fact("a.env", 1, role="Aelix API key committed in this file")) == "Aelix API key"
    assert _role(_fact("a.yaml", 1, role="client secret in config key `a.b`")) == "client secret"
    low = Fact(kind="secret-location", path="a.py", line=1, column=1, data={"rule": "OA101", "role": "password assigned", "confidence": "low"})
    assert _confidence(low) == Confidence.LOW


def test_hcl_block_reader_shares_the_document_string_scanner() -> None:
    """A literal ``$${`` opens no template, and a template may hold quotes and braces: the block
    reader ends strings where the config-document scanner does."""
    hcl = parse_hcl('resource "a" "b" {\n  x = "lit $${y} \\"q\\""\n  z = "${lookup(m, "k}")} end"\n  n = 1\n}\n')
    block = next(hcl.resources("a"))
    assert block.attr("x").expr == '"lit $${y} \\"q\\""'
    assert block.attr("z").expr == '"${lookup(m, "k}")} end"'
    assert block.attr("n").expr == "1" and hcl.errors == []
