"""Access tokens for the Aelix API (OAuth 2.0 client credentials)."""

import logging
import threading
import time

import requests

from app import settings

logger = logging.getLogger(__name__)

# Refresh this many seconds before the token expires, so no request fails with 401 mid-flight.
REFRESH_MARGIN_SECONDS = 60


def request_token():
    """Request a new token; returns the token response (access_token, token_type, expires_in, scope)."""
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
        verify=settings.CA_BUNDLE,
    )
    if resp.status_code != 200:
        logger.warning("Aelix token request failed with status %s", resp.status_code)
        resp.raise_for_status()
    payload = resp.json()
    logger.info(
        "token refreshed (token_type=%s, expires_in=%s, scope=%s)",
        payload.get("token_type"),
        payload.get("expires_in"),
        payload.get("scope"),
    )
    return payload


class TokenCache:
    """Keeps the current token and renews it shortly before it expires."""

    def __init__(self):
        self._token = None
        self._expires_at = 0.0
        self._lock = threading.Lock()

    def get(self):
        with self._lock:
            now = time.monotonic()
            if self._token is None or self._expires_at - now < REFRESH_MARGIN_SECONDS:
                payload = request_token()
                self._token = payload["access_token"]
                self._expires_at = now + int(payload["expires_in"])
            return self._token


token_cache = TokenCache()
