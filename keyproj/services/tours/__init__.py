"""Observation tours (观摩点评, DC4, GS2): plans, score sheets, results and their place in the evaluation."""
