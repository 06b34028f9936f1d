"""Token lifecycle (guide tip: cache the token and refresh it 60 seconds before expiry)."""
