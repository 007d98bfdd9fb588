"""The demo county (示范县), loaded through the same services a real county uses."""
