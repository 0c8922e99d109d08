"""The console's adapters: the platform's HTTP APIs, the session cookie, spreadsheets."""
