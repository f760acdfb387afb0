"""Item analysis, learners' problem reports and regrading (issue 10)."""
