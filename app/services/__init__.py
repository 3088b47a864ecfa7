"""Domain logic: plain arguments in, models out, domain errors raised."""
