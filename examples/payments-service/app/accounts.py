"""Read-only access to Aelix accounts and their transactions."""

import logging

import requests

from app import settings
from app.auth import fetch_token, token_cache

logger = logging.getLogger(__name__)


def list_accounts():
    token = fetch_token()
    resp = requests.get(
        f"{settings.API_BASE}/v1/accounts",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        timeout=settings.HTTP_TIMEOUT,
    )
    resp.raise_for_status()
    accounts = resp.json()["data"]
    logger.info("fetched %d accounts", len(accounts))
    return accounts


def list_transactions(account_id, since):
    """Yield every transaction booked on `account_id` since `since` (a date)."""
    url = f"{settings.API_BASE}/v1/accounts/{account_id}/transactions"
    params = {"from": since.isoformat(), "limit": 200}
    while True:
        resp = requests.get(
            url,
            params=params,
            headers={
                "Authorization": f"Bearer {token_cache.get()}",
                "Accept": "application/json",
            },
            timeout=settings.HTTP_TIMEOUT,
        )
        resp.raise_for_status()
        body = resp.json()
        yield from body["data"]
        cursor = body.get("next_cursor")
        if not cursor:
            return
        params["cursor"] = cursor
