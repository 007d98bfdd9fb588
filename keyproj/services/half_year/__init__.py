"""The half-year evaluation (GS2 半年评比): composite ranking, speakers, stored runs, export."""
