"""HR reports: a candidate's combined result, decisions with overrides, and role comparisons."""
