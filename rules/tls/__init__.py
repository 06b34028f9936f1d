"""Rules of the "tls" family: never switch off certificate verification."""
