"""Linkwell reporting service: what is payable, to whom, on what evidence, as known when."""
