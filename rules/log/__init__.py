"""Rules of the "log" family: never log access tokens or secrets."""
