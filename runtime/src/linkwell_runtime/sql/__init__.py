"""The runtime's schema: its revisions in `migrations/` (`linkwell_runtime.migrations`)."""
