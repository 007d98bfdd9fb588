"""Read models of the case pages, the inbox, the timeline and the API."""
