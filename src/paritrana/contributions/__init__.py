"""Contributions: wage reports, monthly bills per payer, payments and their allocation, arrears,
active status and employer compliance, and the JHT individual accounts."""
