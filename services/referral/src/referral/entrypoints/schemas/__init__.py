"""The HTTP API's models: what it accepts (`requests`) and what it answers (`answers`)."""
