"""keyproj: key construction project warnings and deadline-bound coordination."""
