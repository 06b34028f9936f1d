"""Settings for the payments service.

Credentials are injected as environment variables (Secrets Manager secret
"payments-service/aelix-client-secret" in production, `.env` locally).
"""

import os

API_BASE = "https://api.aelix.digitalapi.ai"
TOKEN_URL = "https://auth.aelix.digitalapi.ai/oauth2/token"

CLIENT_ID = os.environ.get("AELIX_CLIENT_ID", "")
CLIENT_SECRET = os.environ.get("AELIX_CLIENT_SECRET", "")
SECRET_NAME = "payments-service/aelix-client-secret"

# The export only reads accounts and transactions. Request payments scopes
# with a separate app registration once the refund flow (PAY-198) ships.
SCOPES = "banking:read"

# The DC egress proxy re-signs TLS; trust its CA instead of turning verification off.
CA_BUNDLE = os.environ.get("AELIX_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")

HTTP_TIMEOUT = 15
REPORT_DIR = os.getenv("REPORT_DIR", "/var/lib/payments-service/reports")
LOG_LEVEL = os.getenv("LOG_LEVEL", "INFO")
