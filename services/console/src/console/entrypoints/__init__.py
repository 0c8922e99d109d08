"""The console's HTTP entrypoint: pages (Jinja2), downloads, health, and static assets."""
