"""Random spot checks (LP10): the sampling plan of each cycle and the checks made on site."""
