from unittest import mock

from app import auth

TOKEN_RESPONSE = {
    "access_token": "dummy-access-token",
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
        assert cache.get() == cache.get() == TOKEN_RESPONSE["access_token"]
    post.assert_called_once()


def test_token_renewed_inside_refresh_margin():
    clock = mock.Mock(return_value=1000.0)
    with mock.patch("app.auth.time.monotonic", clock), mock.patch(
        "app.auth.requests.post", return_value=_token_response()
    ) as post:
        cache = auth.TokenCache()
        cache.get()
        clock.return_value = 1000.0 + 3600 - auth.REFRESH_MARGIN_SECONDS - 1
        cache.get()
        assert post.call_count == 1
        clock.return_value = 1000.0 + 3600 - auth.REFRESH_MARGIN_SECONDS + 1
        cache.get()
        assert post.call_count == 2
