"""OA602 rotation-policy-too-long: rotation declared in IaC longer than the policy, or absent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checker.model import Confidence, Document, Example, Fix, Severity
from checker.rule import ConfigRule, FileContext
from rules._analysis.iac import (
    DAY,
    CfnNode,
    HclAttribute,
    HclBlock,
    HclFile,
    Unknown,
    cfn_ref_target,
    cfn_templates,
    cfn_value,
    go_duration_seconds,
    hcl_value,
    is_unknown,
    iso_duration_max_days,
    json_or_yaml_number,
    max_days_in_months,
    parse_hcl,
    references,
    schedule_gap,
    seconds_string,
    timeadd_duration,
)

_AWS_SECRET = "aws_secretsmanager_secret"
_AWS_ROTATION = "aws_secretsmanager_secret_rotation"
_AZURE_PASSWORDS = ("azuread_application_password", "azuread_service_principal_password")
_GOOGLE_SECRETS = ("google_secret_manager_secret", "google_secret_manager_regional_secret")
_CFN_SECRET = "AWS::SecretsManager::Secret"
_CFN_ROTATION = "AWS::SecretsManager::RotationSchedule"
# azuread provider: a password without end_date is valid for two years.
_AZUREAD_DEFAULT_DAYS = 730


def _fmt(days: float) -> str:
    return f"{days:g}" if days == int(days) else f"{days:.1f}"


@dataclass
class _Reporter:
    """Reports once per line; unresolvable values become ``rotation-unknown`` notes."""

    rule: type[ConfigRule]
    ctx: FileContext
    limit: int
    lines: set[int] = field(default_factory=set)

    def too_long(self, line: int, column: int, message: str, fix: str, confidence: Confidence | None = None) -> None:
        if line in self.lines:
            return
        self.lines.add(line)
        self.ctx.report_at(self.rule, line, column, message, confidence=confidence, fix=Fix(fix))

    def check_days(self, days: float, line: int, column: int, what: str, fix: str, confidence: Confidence | None = None) -> None:
        """Exactly ``limit`` days is compliant; longer is reported."""
        if days > self.limit:
            self.too_long(line, column, f"{what}, longer than {self.limit} days", fix, confidence)

    def unknown(self, line: int, what: str, reason: Unknown) -> None:
        self.ctx.note("rotation-unknown", f"{what} cannot be resolved ({reason.reason}); rotation interval not checked", line=line, rule=self.rule.id)


class RotationPolicyTooLong(ConfigRule):
    """
    ## What it does
    Checks the rotation that infrastructure code declares for managed secrets and reports an interval
    longer than `max-secret-age-days` (90; exactly 90 is compliant) or no rotation at all:

    - Terraform AWS: `aws_secretsmanager_secret_rotation` `rotation_rules` (`automatically_after_days`,
      `schedule_expression` with `rate(...)` and `cron(...)`; for cron the longest gap between two
      firings is computed, so `cron(0 0 1 */4 ? *)` is 123 days and `cron(0 0 1 1,7 ? *)` 184), and an
      `aws_secretsmanager_secret` that no rotation resource in the same file references.
    - Terraform Azure: `azurerm_key_vault_secret` without `expiration_date` or with
      `timeadd(timestamp(), "…h")` beyond the limit; Key Vault key `rotation_policy` ISO 8601 durations
      (`P90D`); `azuread_application_password` / `azuread_service_principal_password` lifetimes
      (`end_date_relative = "2160h"` is 90 days; no end date means the provider's two years) unless a
      `time_rotating` (`rotation_days`/`months`/`years`) in `rotate_when_changed` replaces it sooner.
    - Terraform GCP: `google_secret_manager_secret` `rotation.rotation_period` (`"7776000s"` = 90
      days); a secret without a `rotation` block is reported with medium confidence.
    - Terraform Vault: `vault_database_secret_backend_static_role.rotation_period` (seconds).
    - CloudFormation (YAML or JSON, also CDK output): `AWS::SecretsManager::RotationSchedule`
      `RotationRules.AutomaticallyAfterDays` / `ScheduleExpression`, and secrets without a schedule.
    - The secret inventory itself: `rotation-days` above the limit in `[[tool.credlint.secrets]]`.

    Values are resolved only when literal: `var.x`/`local.x` with a literal value in the same file,
    CloudFormation `!Ref` to a parameter with a literal `Default`. Anything else (`!Sub`, a variable
    without default, a module output) is reported as a "rotation-unknown" note, never guessed.
    Kubernetes External Secrets `refreshInterval` and Secrets Store CSI `rotationPollInterval` are sync
    intervals, not rotation, and are ignored.

    Limitation: a rule sees one file, so "no rotation configured" is judged per file. A secret whose
    rotation resource lives in another file of the same module is reported; the check stays silent for
    a file whose rotation resources point at something it cannot resolve.

    ## Why is this bad?
    The guide says to rotate client secrets every 90 days. A rotation policy longer than that (or none)
    lets a leaked secret stay valid for months. checkov's CKV_AWS_304 passes any `cron()` and treats
    some exact-90 schedules wrongly; schedules here are computed on the calendar.

    ## Example
    ```hcl
    resource "aws_secretsmanager_secret_rotation" "client" {
      secret_id           = aws_secretsmanager_secret.client.id
      rotation_lambda_arn = var.rotation_lambda_arn
      rotation_rules {
        automatically_after_days = 180
      }
    }
    ```

    ## Use instead
    ```hcl
    rotation_rules {
      automatically_after_days = 90   # or schedule_expression = "rate(30 days)"
    }
    ```

    ## References
    - Guide tip: rotate client secrets every 90 days.
    - CWE-324: Use of a Key Past its Expiration Date.
    - AWS Secrets Manager `RotationRulesType`; CloudFormation `AWS::SecretsManager::RotationSchedule`;
      GCP Secret Manager rotation; checkov CKV_AWS_304, CKV2_AWS_57, CKV_AZURE_41.
    """

    id = "OA602"
    name = "rotation-policy-too-long"
    family = "rotation"
    severity = Severity.MEDIUM
    summary = "secret rotation configured longer than 90 days, or not at all, in Terraform or CloudFormation"
    cwe = ("CWE-324",)
    references = ("guide: rotate client secrets every 90 days", "CWE-324")
    kinds = ("hcl", "yaml", "json", "toml")
    triggers = ("secretsmanager", "key_vault", "secret_manager", "application_password", "principal_password", "static_role", "rotation-days")

    invalid = (
        Example(
            path="main.tf",
            code="""\
            resource "aws_secretsmanager_secret" "client" {
              name = "svc/client-secret"
            }

            resource "aws_secretsmanager_secret_rotation" "client" {
              secret_id           = aws_secretsmanager_secret.client.id
              rotation_lambda_arn = var.rotation_lambda_arn
              rotation_rules {
                automatically_after_days = 180 # expect
              }
            }
            """,
            note="rotation every 180 days",
        ),
        Example(
            path="main.tf",
            code="""\
            resource "aws_secretsmanager_secret" "client" {
              name = "svc/client-secret"
            }

            resource "aws_secretsmanager_secret_rotation" "client" {
              secret_id = aws_secretsmanager_secret.client.id
              rotation_rules {
                schedule_expression = "cron(0 0 1 */4 ? *)" # expect
              }
            }
            """,
            note="every fourth month: up to 123 days apart (checkov passes any cron)",
        ),
        Example(
            path="rotation.tf",
            code="""\
            variable "rotation_days" {
              default = 120
            }

            resource "aws_secretsmanager_secret_rotation" "client" {
              secret_id = aws_secretsmanager_secret.client.id
              rotation_rules {
                automatically_after_days = var.rotation_days # expect
              }
            }
            """,
            note="variable with a literal default",
        ),
        Example(
            path="secrets.tf",
            code="""\
            resource "aws_secretsmanager_secret" "client" { # expect
              name = "svc/client-secret"
            }
            """,
            note="no rotation resource references the secret",
        ),
        Example(
            path="main.tf",
            code="""\
            resource "aws_secretsmanager_secret_rotation" "client" {
              secret_id = aws_secretsmanager_secret.client.id
              rotation_rules {
                schedule_expression = "rate(91 days)" # expect
              }
            }
            """,
        ),
        Example(
            path="azure.tf",
            code="""\
            resource "azuread_application_password" "client" {
              application_id    = azuread_application.app.id
              end_date_relative = "8760h" # expect
            }

            resource "azurerm_key_vault_secret" "client" { # expect
              name         = "client-secret"
              value        = azuread_application_password.client.value
              key_vault_id = azurerm_key_vault.kv.id
            }
            """,
            note="one-year password; Key Vault secret without expiration_date",
        ),
        Example(
            path="gcp.tf",
            code="""\
            resource "google_secret_manager_secret" "client" {
              secret_id = "client-secret"
              rotation {
                rotation_period    = "15552000s" # expect
                next_rotation_time = "2026-01-01T00:00:00Z"
              }
            }
            """,
        ),
        Example(
            path="template.yaml",
            code="""\
            AWSTemplateFormatVersion: "2010-09-09"
            Parameters:
              RotationDays:
                Type: Number
                Default: 365
            Resources:
              ClientSecret:
                Type: AWS::SecretsManager::Secret
              ClientSecretRotation:
                Type: AWS::SecretsManager::RotationSchedule
                Properties:
                  SecretId: !Ref ClientSecret
                  RotationRules:
                    AutomaticallyAfterDays: !Ref RotationDays # expect
            """,
            note="CloudFormation: !Ref to a parameter with a literal Default",
        ),
        Example(
            path="template.json",
            code="""\
            {
              "Resources": {
                "ClientSecret": {"Type": "AWS::SecretsManager::Secret"},
                "Rotation": {
                  "Type": "AWS::SecretsManager::RotationSchedule",
                  "Properties": {
                    "SecretId": {"Ref": "ClientSecret"},
                    "RotationRules": {"ScheduleExpression": "cron(0 0 1 1,7 ? *)"}
                  }
                },
                "ExporterSecret": {"Type": "AWS::SecretsManager::Secret"}
              }
            }
            """,
            lines=(8, 11),
            note="twice a year (184 days apart); a second secret without any schedule",
        ),
        Example(
            path=".credlint.toml",
            code="""\
            [[secrets]]
            name = "partner-api-key"
            last-rotated = 2026-07-01
            rotation-days = 365  # expect
            """,
            note="the team's own declared policy is longer than 90 days",
        ),
    )

    valid = (
        Example(
            path="pyproject.toml",
            code="""\
            [[tool.credlint.secrets]]
            name = "aelix-client-secret"
            last-rotated = 2026-07-01
            rotation-days = 90
            """,
            note="the inventory's declared policy is within the limit",
        ),
        Example(
            path="main.tf",
            code="""\
            resource "aws_secretsmanager_secret" "client" {
              name = "svc/client-secret"
            }

            resource "aws_secretsmanager_secret_rotation" "client" {
              secret_id           = aws_secretsmanager_secret.client.id
              rotation_lambda_arn = var.rotation_lambda_arn
              rotation_rules {
                automatically_after_days = 90
              }
            }
            """,
            note="exactly 90 days is compliant",
        ),
        Example(
            path="main.tf",
            code="""\
            resource "aws_secretsmanager_secret" "client" {
              name = "svc/client-secret"
            }

            resource "aws_secretsmanager_secret_rotation" "client" {
              secret_id = aws_secretsmanager_secret.client.arn
              rotation_rules {
                schedule_expression = "cron(0 4 ? * SUN#1 *)"
                duration            = "3h"
              }
            }
            """,
            note="first Sunday of every month: at most 35 days apart",
        ),
        Example(
            path="main.tf",
            code="""\
            resource "aws_secretsmanager_secret_rotation" "client" {
              secret_id = aws_secretsmanager_secret.client.id
              rotation_rules {
                automatically_after_days = var.rotation_days
              }
            }
            """,
            note="unresolvable variable: a note, not a guess",
        ),
        Example(
            path="azure.tf",
            code="""\
            resource "time_rotating" "client" {
              rotation_days = 60
            }

            resource "azuread_application_password" "client" {
              application_id      = azuread_application.app.id
              end_date_relative   = "2160h"
              rotate_when_changed = { rotation = time_rotating.client.id }
            }

            resource "azurerm_key_vault_secret" "client" {
              name            = "client-secret"
              value           = azuread_application_password.client.value
              key_vault_id    = azurerm_key_vault.kv.id
              expiration_date = timeadd(timestamp(), "2160h")
            }
            """,
        ),
        Example(
            path="gcp.tf",
            code="""\
            resource "google_secret_manager_secret" "client" {
              secret_id = "client-secret"
              rotation {
                rotation_period    = "7776000s"
                next_rotation_time = "2026-01-01T00:00:00Z"
              }
              topics {
                name = google_pubsub_topic.rotation.id
              }
            }
            """,
        ),
        Example(
            path="template.yaml",
            code="""\
            Resources:
              ClientSecret:
                Type: AWS::SecretsManager::Secret
              ClientSecretRotation:
                Type: AWS::SecretsManager::RotationSchedule
                Properties:
                  SecretId: !Ref ClientSecret
                  RotationRules:
                    ScheduleExpression: rate(30 days)
            """,
        ),
        Example(
            path="template.yaml",
            code="""\
            Resources:
              ClientSecret:
                Type: AWS::SecretsManager::Secret
              ClientSecretRotation:
                Type: AWS::SecretsManager::RotationSchedule
                Properties:
                  SecretId: !Ref ClientSecret
                  RotationRules:
                    AutomaticallyAfterDays: !FindInMap [Rotation, !Ref Env, Days]
            """,
            note="intrinsic that cannot be resolved: a note, not a guess",
        ),
        Example(
            path="external-secret.yaml",
            code="""\
            apiVersion: external-secrets.io/v1beta1
            kind: ExternalSecret
            metadata:
              name: client-secret
            spec:
              refreshInterval: 8760h
              secretStoreRef:
                name: aws-secretsmanager
                kind: ClusterSecretStore
              data:
                - secretKey: client_secret
                  remoteRef:
                    key: svc/client-secret
            """,
            note="refreshInterval is a sync interval, not rotation",
        ),
    )

    def check(self, doc: Document, ctx: FileContext) -> None:
        report = _Reporter(type(self), ctx, ctx.settings.max_secret_age_days)
        if ctx.kind == "hcl":
            hcl = ctx.memoized("iac.hcl", lambda: parse_hcl(ctx.text))
            _Terraform(hcl, report).check()
        elif ctx.kind == "toml":
            _inventory_policies(doc, ctx, report)
        else:
            for template in cfn_templates(ctx.text):
                _CloudFormation(template, report).check()


# ---------------------------------------------------------------------------------------------------
# The secret inventory's own policy


def _inventory_policies(doc: Document, ctx: FileContext, report: _Reporter) -> None:
    """``rotation-days`` in ``[[tool.credlint.secrets]]`` (pyproject.toml) or ``[[secrets]]``
    (.credlint.toml) longer than the limit: the team's declared policy is itself too long."""
    name = ctx.path.rsplit("/", 1)[-1]
    prefix = ("tool", "credlint", "secrets") if name == "pyproject.toml" else ("secrets",) if name == ".credlint.toml" else None
    if prefix is None:
        return
    for entry in doc.entries:
        path = entry.key_path
        if len(path) == len(prefix) + 2 and path[: len(prefix)] == prefix and path[-1] == "rotation-days":
            days = json_or_yaml_number(entry.value)
            if days is not None:
                report.check_days(days, entry.line, entry.column, f"inventory policy rotation-days = {_fmt(days)}", "set rotation-days to 90 or less")


# ---------------------------------------------------------------------------------------------------
# Terraform


class _Terraform:
    def __init__(self, hcl: HclFile, report: _Reporter) -> None:
        self.hcl = hcl
        self.report = report
        self.variables = hcl.variables()
        self.limit = report.limit

    def value(self, attr: HclAttribute) -> Any:
        return hcl_value(attr.expr, self.variables)

    def check(self) -> None:
        self.aws()
        for block in self.hcl.resources("azurerm_key_vault_secret"):
            self.key_vault_secret(block)
        for block in self.hcl.resources("azurerm_key_vault_key"):
            self.key_vault_key(block)
        for resource_type in _AZURE_PASSWORDS:
            for block in self.hcl.resources(resource_type):
                self.azuread_password(block)
        for resource_type in _GOOGLE_SECRETS:
            for block in self.hcl.resources(resource_type):
                self.google_secret(block)
        for block in self.hcl.resources("vault_database_secret_backend_static_role"):
            self.vault_static_role(block)

    # -- AWS ------------------------------------------------------------------------------------

    def aws(self) -> None:
        rotated: set[str] = set()
        unresolved = False
        for block in self.hcl.resources(_AWS_ROTATION):
            targets = {name for attr in block.attributes.values() for name in references(attr.expr, _AWS_SECRET)}
            if not targets:
                unresolved = True  # rotates a secret defined elsewhere (variable, module, data source)
            rotated |= targets
            self.rotation_rules(block.child("rotation_rules"), block)
        for block in self.hcl.resources(_AWS_SECRET):
            inline = block.child("rotation_rules")
            if inline is not None:  # legacy provider versions: rotation declared on the secret itself
                self.rotation_rules(inline, block)
                continue
            if block.labels[1] in rotated or unresolved:
                continue
            self.report.too_long(
                block.line,
                block.column,
                f"secret {block.address} has no rotation: no aws_secretsmanager_secret_rotation in this file references it",
                "add an aws_secretsmanager_secret_rotation with automatically_after_days <= 90",
            )

    def rotation_rules(self, rules: HclBlock | None, owner: HclBlock) -> None:
        if rules is None:
            return
        days = rules.attr("automatically_after_days")
        if days is not None:
            value = self.value(days)
            number = json_or_yaml_number(value)
            if number is None:
                self.report.unknown(days.line, f"{owner.address} automatically_after_days", value if is_unknown(value) else Unknown("not a number"))
            else:
                self.report.check_days(number, days.line, days.column, f"{owner.address} rotates automatically after {_fmt(number)} days", "set automatically_after_days to 90 or less")
        expression = rules.attr("schedule_expression")
        if expression is not None:
            self.schedule(expression, owner.address)

    def schedule(self, attr: HclAttribute, owner: str) -> None:
        value = self.value(attr)
        if not isinstance(value, str):
            self.report.unknown(attr.line, f"{owner} schedule_expression", value if is_unknown(value) else Unknown("not a string"))
            return
        _schedule_finding(self.report, value, attr.line, attr.column, owner)

    # -- Azure ----------------------------------------------------------------------------------

    def key_vault_secret(self, block: HclBlock) -> None:
        expiration = block.attr("expiration_date")
        if expiration is None:
            self.report.too_long(
                block.line,
                block.column,
                f"Key Vault secret {block.address} has no expiration_date: nothing forces it to be rotated",
                'set expiration_date, e.g. timeadd(timestamp(), "2160h") or a time_rotating of 90 days or less',
            )
            return
        self.expiry_expression(expiration, block.address)

    def expiry_expression(self, attr: HclAttribute, owner: str) -> None:
        """``timeadd(timestamp(), "2160h")`` or a ``time_rotating`` reference; literal dates need a
        creation date we do not have and are left alone."""
        added = timeadd_duration(attr.expr, self.variables)
        if added is not None:
            _base, seconds = added
            if is_unknown(seconds):
                self.report.unknown(attr.line, f"{owner} {attr.name}", seconds)
            else:
                self.report.check_days(seconds / DAY, attr.line, attr.column, f"{owner} {attr.name} is {_fmt(seconds / DAY)} days after creation", "use a lifetime of 90 days (2160h) or less")
            return
        for name in references(attr.expr, "time_rotating"):
            self.time_rotating(name, owner)

    def time_rotating(self, name: str, owner: str) -> float | None:
        """Check the interval of ``time_rotating.<name>`` (defined in this file); its days or None."""
        block = next((b for b in self.hcl.resources("time_rotating") if b.labels[1] == name), None)
        if block is None:
            return None
        best: tuple[float, HclAttribute] | None = None
        for unit, days_of in (
            ("rotation_days", lambda v: v),
            ("rotation_hours", lambda v: v / 24),
            ("rotation_minutes", lambda v: v / 1440),
            ("rotation_months", lambda v: float(max_days_in_months(int(v)))),
            ("rotation_years", lambda v: v * 366),
        ):
            attr = block.attr(unit)
            if attr is None:
                continue
            number = json_or_yaml_number(self.value(attr))
            if number is None:
                value = self.value(attr)
                self.report.unknown(attr.line, f"{block.address} {unit}", value if is_unknown(value) else Unknown("not a number"))
                return None
            days = days_of(number)
            if best is None or days < best[0]:
                best = (days, attr)
        if best is None:
            return None
        days, attr = best
        self.report.check_days(days, attr.line, attr.column, f"{block.address} (rotating {owner}) fires every {_fmt(days)} days ({attr.name})", "rotate every 90 days or less (rotation_days = 90)")
        return days

    def key_vault_key(self, block: HclBlock) -> None:
        policy = block.child("rotation_policy")
        if policy is None:
            return  # keys are not client secrets; a missing policy is another tool's check
        automatic = policy.child("automatic")
        expire = policy.attr("expire_after")
        after_creation = automatic.attr("time_after_creation") if automatic else None
        before_expiry = automatic.attr("time_before_expiry") if automatic else None
        if after_creation is not None:
            self.iso_days(after_creation, block.address)
        elif before_expiry is not None and expire is not None:
            total, before = self.iso_value(expire), self.iso_value(before_expiry)
            if isinstance(total, float) and isinstance(before, float):
                self.report.check_days(total - before, before_expiry.line, before_expiry.column, f"{block.address} rotates {_fmt(total - before)} days after creation", "rotate 90 days or less after creation")
        elif expire is not None:
            self.iso_days(expire, block.address)

    def iso_value(self, attr: HclAttribute) -> float | Unknown:
        value = self.value(attr)
        if not isinstance(value, str):
            return value if is_unknown(value) else Unknown("not a duration string")
        days = iso_duration_max_days(value)
        return float(days) if days is not None else Unknown("not an ISO 8601 duration")

    def iso_days(self, attr: HclAttribute, owner: str) -> None:
        days = self.iso_value(attr)
        if isinstance(days, Unknown):
            self.report.unknown(attr.line, f"{owner} {attr.name}", days)
            return
        self.report.check_days(days, attr.line, attr.column, f"{owner} {attr.name} is {_fmt(days)} days", "use P90D or less")

    def azuread_password(self, block: HclBlock) -> None:
        """Lifetime = the shorter of the password's validity and its forced replacement by a
        ``time_rotating`` in ``rotate_when_changed``."""
        rotation = block.attr("rotate_when_changed")
        if rotation is not None:
            for name in references(rotation.expr, "time_rotating"):
                days = self.time_rotating_days(name)
                if days is not None and days <= self.limit:
                    return
        relative = block.attr("end_date_relative")
        if relative is not None:
            value = self.value(relative)
            seconds = go_duration_seconds(value) if isinstance(value, str) else None
            if seconds is None:
                self.report.unknown(relative.line, f"{block.address} end_date_relative", value if is_unknown(value) else Unknown("not a duration"))
                return
            self.report.check_days(seconds / DAY, relative.line, relative.column, f"{block.address} is valid for {_fmt(seconds / DAY)} days", 'use end_date_relative = "2160h" (90 days) or less, or rotate it with time_rotating')
            return
        end = block.attr("end_date")
        if end is not None:
            if timeadd_duration(end.expr, self.variables) is not None or references(end.expr, "time_rotating"):
                self.expiry_expression(end, block.address)
            return  # a literal end date needs the creation date; left alone
        if rotation is not None:
            for name in references(rotation.expr, "time_rotating"):
                self.time_rotating(name, block.address)
            return
        self.report.too_long(
            block.line,
            block.column,
            f"{block.address} has no end_date: the provider makes it valid for two years ({_AZUREAD_DEFAULT_DAYS} days)",
            'set end_date_relative = "2160h" (90 days) or rotate it with a time_rotating of 90 days or less',
        )

    def time_rotating_days(self, name: str) -> float | None:
        block = next((b for b in self.hcl.resources("time_rotating") if b.labels[1] == name), None)
        if block is None:
            return None
        for unit, scale in (("rotation_days", 1.0), ("rotation_hours", 1 / 24), ("rotation_minutes", 1 / 1440)):
            attr = block.attr(unit)
            number = json_or_yaml_number(self.value(attr)) if attr else None
            if number is not None:
                return number * scale
        months = block.attr("rotation_months")
        number = json_or_yaml_number(self.value(months)) if months else None
        if number is not None:
            return float(max_days_in_months(int(number)))
        years = block.attr("rotation_years")
        number = json_or_yaml_number(self.value(years)) if years else None
        return number * 366 if number is not None else None

    # -- GCP and Vault --------------------------------------------------------------------------

    def google_secret(self, block: HclBlock) -> None:
        rotation = block.child("rotation")
        if rotation is None:
            if block.attr("ttl") is not None or block.attr("expire_time") is not None:
                return  # a secret that expires by itself
            self.report.too_long(
                block.line,
                block.column,
                f"secret {block.address} has no rotation block: Secret Manager never schedules its rotation",
                'add rotation { rotation_period = "7776000s" } (90 days) and a topic whose subscriber rotates it',
                confidence=Confidence.MEDIUM,
            )
            return
        period = rotation.attr("rotation_period")
        if period is None:
            return
        value = self.value(period)
        seconds = seconds_string(value) if isinstance(value, str) else None
        if seconds is None:
            self.report.unknown(period.line, f"{block.address} rotation_period", value if is_unknown(value) else Unknown("not a duration in seconds"))
            return
        self.report.check_days(seconds / DAY, period.line, period.column, f"{block.address} rotation_period is {_fmt(seconds / DAY)} days", 'use rotation_period = "7776000s" (90 days) or less')

    def vault_static_role(self, block: HclBlock) -> None:
        period = block.attr("rotation_period")
        if period is None:
            return
        value = self.value(period)
        number = json_or_yaml_number(value)
        if number is None:
            self.report.unknown(period.line, f"{block.address} rotation_period", value if is_unknown(value) else Unknown("not a number"))
            return
        self.report.check_days(number / DAY, period.line, period.column, f"{block.address} rotation_period is {_fmt(number / DAY)} days", "use rotation_period = 7776000 (90 days) or less")


def _schedule_finding(report: _Reporter, expression: str, line: int, column: int, owner: str) -> None:
    schedule = schedule_gap(expression)
    if isinstance(schedule, Unknown):
        report.unknown(line, f"{owner} schedule {expression[:60]!r}", schedule)
        return
    if schedule.max_gap_days > report.limit:
        gap = "never again" if schedule.max_gap_days == float("inf") else f"{_fmt(schedule.max_gap_days)} days"
        report.too_long(
            line,
            column,
            f"{owner} schedule {expression.strip()} allows {gap} between rotations ({schedule.description}), longer than {report.limit} days",
            'use a schedule of 90 days or less, e.g. rate(30 days) or cron(0 4 ? * SUN#1 *)',
        )


# ---------------------------------------------------------------------------------------------------
# CloudFormation


class _CloudFormation:
    def __init__(self, template: CfnNode, report: _Reporter) -> None:
        self.template = template
        self.report = report

    def check(self) -> None:
        resources = self.template.get("Resources")
        if resources is None:
            return
        secrets: list[tuple[CfnNode, CfnNode]] = []
        rotated: set[str] = set()
        unresolved = False
        for key, resource in resources.items():
            kind = resource.get("Type")
            kind_text = kind.scalar if kind is not None else None
            if kind_text == _CFN_SECRET:
                secrets.append((key, resource))
            elif kind_text == _CFN_ROTATION:
                properties = resource.get("Properties")
                target = cfn_ref_target(properties.get("SecretId")) if properties is not None else None
                if target is None:
                    unresolved = True
                else:
                    rotated.add(target)
                self.rotation_rules(properties, str(key.scalar))
        if unresolved:
            return
        for key, _resource in secrets:
            if key.scalar not in rotated:
                self.report.too_long(
                    key.line,
                    key.column,
                    f"secret {key.scalar} has no rotation: no AWS::SecretsManager::RotationSchedule in this template references it",
                    "add an AWS::SecretsManager::RotationSchedule with AutomaticallyAfterDays <= 90",
                )

    def rotation_rules(self, properties: CfnNode | None, name: str) -> None:
        rules = properties.get("RotationRules") if properties is not None else None
        if rules is None:
            return
        days_key = rules.key_node("AutomaticallyAfterDays")
        if days_key is not None:
            value = cfn_value(rules.get("AutomaticallyAfterDays"), self.template)
            number = json_or_yaml_number(value)
            if number is None:
                self.report.unknown(days_key.line, f"{name} AutomaticallyAfterDays", value if is_unknown(value) else Unknown("not a number"))
            else:
                self.report.check_days(number, days_key.line, days_key.column, f"{name} rotates automatically after {_fmt(number)} days", "set AutomaticallyAfterDays to 90 or less")
        schedule_key = rules.key_node("ScheduleExpression")
        if schedule_key is not None:
            value = cfn_value(rules.get("ScheduleExpression"), self.template)
            if not isinstance(value, str):
                self.report.unknown(schedule_key.line, f"{name} ScheduleExpression", value if is_unknown(value) else Unknown("not a string"))
            else:
                _schedule_finding(self.report, value, schedule_key.line, schedule_key.column, name)
