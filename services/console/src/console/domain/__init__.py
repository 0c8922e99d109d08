"""The console's view models: pure functions over the reporting API's answers (no I/O)."""
