"""OAuth 2.0, SOAP login and sessions of the emulated org."""
