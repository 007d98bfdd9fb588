"""keyproj"""
