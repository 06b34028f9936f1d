"""Least-privilege scopes (guide tip: request only the scopes your application needs)."""
