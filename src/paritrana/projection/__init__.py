"""The long-term projection of JP and JHT (issue 18, decision 0024): aggregated figures only."""
