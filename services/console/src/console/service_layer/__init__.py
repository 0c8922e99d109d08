"""Use cases of the console: each asks the platform's APIs and builds a view model from the domain."""
