"""One router per resource: the payable ledger and its evidence, claims, commissioner uploads, dashboards."""
