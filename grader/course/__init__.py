"""Instructor tools on top of grader.host: the student edition, batch grading and LMS bundles."""
