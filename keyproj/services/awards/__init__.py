"""The year-end evaluation, its rewards and sanctions, and the units' records (GS8, AL13–14, DC6, HD7)."""
