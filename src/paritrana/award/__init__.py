"""The Paritrana Award: editions, candidates, indicators from a frozen registry snapshot, assessors' scores,
two-tier rounds, ranking with its sensitivity, scorecards and public results (decision 0015)."""
