"""Mentors: the registry of senior professionals and their mentoring assignments."""
