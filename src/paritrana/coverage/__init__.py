"""Coverage toward universal coverage: workforce denominators, active participants, coverage rates, targets."""
