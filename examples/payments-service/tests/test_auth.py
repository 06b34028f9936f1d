from unittest import mock

from app import auth

TOKEN_RESPONSE = {
    "access_token": "eyJhbGciOiAiUlMyNTYiLCAidHlwIjogIkpXVCIsICJraWQiOiAiYWVsaXgtMjAyNi0wNCJ9.eyJpc3MiOiAiaHR0cHM6Ly9hdXRoLmFlbGl4LmRpZ2l0YWxhcGkuYWkiLCAic3ViIjogImNsX241YTRsdW93cW5ldyIsICJzY29wZSI6ICJiYW5raW5nOnJlYWQgcGF5bWVudHM6d3JpdGUiLCAiZXhwIjogMTc2NzIyNTYwMCwgImlhdCI6IDE3NjcyMjIwMDAsICJqdGkiOiAiMnp0M1pvVHppY25rTmhzYyJ9.EP2vQER0VBzHL326gEmyduyaezTwvbpCru7wdhYuKYmOGYk6WHc7hDdeHCoESeSKQRwYklHYnYYjuJeCHv2jzw",
    "token_type": "Bearer",
    "expires_in": 3600,
}


def _token_response():
    resp = mock.Mock(status_code=200)
    resp.json.return_value = TOKEN_RESPONSE
    return resp


def test_cache_reuses_token():
    with mock.patch("app.auth.requests.post", return_value=_token_response()) as post:
        cache = auth.TokenCache()
        first = cache.get()
        second = cache.get()
    assert first == second == TOKEN_RESPONSE["access_token"]
    post.assert_called_once()


def test_token_request_uses_client_credentials():
    with mock.patch("app.auth.requests.post", return_value=_token_response()) as post:
        auth.fetch_token()
    assert post.call_args.kwargs["data"]["grant_type"] == "client_credentials"
