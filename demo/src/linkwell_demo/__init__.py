"""Linkwell demo: a seeded synthetic social prescribing programme (`plan`) and its loader (`load`)."""
