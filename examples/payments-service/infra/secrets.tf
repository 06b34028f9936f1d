variable "kms_key_arn" {
  type        = string
  description = "KMS key used to encrypt the payments secrets"
}

variable "rotation_lambda_arn" {
  type        = string
  description = "Lambda that rotates Aelix client secrets through the developer portal API"
}

locals {
  tags = {
    team    = "payments"
    service = "payments-service"
  }
}

resource "aws_secretsmanager_secret" "aelix_client_secret" {
  name        = "payments-service/aelix-client-secret"
  description = "Aelix OAuth client secret used by payments-service"
  kms_key_id  = var.kms_key_arn
  tags        = local.tags
}

resource "aws_secretsmanager_secret_rotation" "aelix_client_secret" {
  secret_id           = aws_secretsmanager_secret.aelix_client_secret.id
  rotation_lambda_arn = var.rotation_lambda_arn

  rotation_rules {
    automatically_after_days = 180
  }
}

resource "aws_secretsmanager_secret" "aelix_exporter_client_secret" {
  name        = "payments-service/aelix-exporter-client-secret"
  description = "Aelix OAuth client secret used by the statement exporter"
  kms_key_id  = var.kms_key_arn
  tags        = local.tags
}
