"""Rankings by investment completion rate (HD5, GS2, GS8) and the HD5 reminder letters."""
