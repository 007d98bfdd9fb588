"""The case aggregate: commands, the step, hooks, repository, events, timers, audit."""
