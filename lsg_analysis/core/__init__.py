"""Core: errors a user sees, where the folders are, atomic writes, the one parser of levels and languages, the one
rule for random generators. Imports nothing of the package."""
