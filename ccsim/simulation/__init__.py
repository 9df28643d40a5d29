"""The SimPy engine and what it simulates: model, distributions, callers, queues, routing, agents, logs."""
