"""Closed-form queueing: Erlang B, C and A, staffing searches, service-level definitions."""
