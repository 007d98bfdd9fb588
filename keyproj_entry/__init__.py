"""Process entry points: the only modules that wire ``web``, ``workers`` and ``cli`` together."""
