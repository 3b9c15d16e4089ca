"""The registry: regions, branches, employers, workers, memberships, sponsors, heirs."""
