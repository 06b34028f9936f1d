"""Access tokens for the Aelix API (OAuth 2.0 client credentials)."""

import logging
import time

import requests
import urllib3

from app import settings

logger = logging.getLogger(__name__)

# The DC egress proxy re-signs TLS with its own CA, which requests rejects (OPS-1432).
urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)


def fetch_token():
    """Request a new access token from the Aelix token endpoint."""
    resp = requests.post(
        settings.TOKEN_URL,
        data={
            "grant_type": "client_credentials",
            "client_id": settings.CLIENT_ID,
            "client_secret": settings.CLIENT_SECRET,
            "scope": settings.SCOPES,
        },
        headers={"Accept": "application/json"},
        timeout=settings.HTTP_TIMEOUT,
        verify=False,
    )
    resp.raise_for_status()
    payload = resp.json()
    access_token = payload["access_token"]
    logger.debug(f"got Aelix token {access_token} (scope={payload.get('scope')})")
    return access_token


class TokenCache:
    """Keeps the current token in memory so we don't call /oauth2/token for every request."""

    def __init__(self):
        self._token = None
        self._expires_at = 0.0

    def get(self):
        if self._token is None or time.time() >= self._expires_at:
            self._token = fetch_token()
            # Aelix tokens are valid for one hour
            self._expires_at = time.time() + 3600
            logger.info("refreshed Aelix token, valid until %s", self._expires_at)
        return self._token


token_cache = TokenCache()
