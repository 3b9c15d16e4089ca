"""Reform scenarios: a change of the law's parameters run over the registry's month, baseline beside reform."""
