"""credlint: a security linter and compliance checker for OAuth 2.0 Client Credentials code."""

__version__ = "0.1.0"
