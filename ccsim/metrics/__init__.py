"""From logs to numbers: KPIs, scorecards against targets, replications with confidence intervals."""
