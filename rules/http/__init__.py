"""Rules of the "http" family: use HTTPS for every request."""
