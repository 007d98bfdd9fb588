"""County leaders' instructions (批示) on cases, following a case, and the leader's lists."""
