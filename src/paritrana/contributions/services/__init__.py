"""Use cases of contributions, one transaction each: ``wages``, ``billing``, ``payments``, ``ledger``, ``status``."""
