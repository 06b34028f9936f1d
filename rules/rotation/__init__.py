"""Rotation family: the guide's "rotate client secrets every 90 days" (OA601 stale secrets from real
evidence, OA602 rotation policies declared in infrastructure code)."""
