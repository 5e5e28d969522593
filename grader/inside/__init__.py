"""Runs inside the learner's test process, beside learner code: records facts, decides nothing."""
