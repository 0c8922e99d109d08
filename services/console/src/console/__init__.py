"""The Linkwell console: server-rendered pages over the platform's public HTTP APIs."""
