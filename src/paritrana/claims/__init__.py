"""Claims and benefit payments: intake, assessment by the rules, workflow, payment exactly once, letters."""
