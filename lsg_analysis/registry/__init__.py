"""Region registry: which unit is "Чуйская обл."? Codes, names and every spelling met in the sources
(regions.csv, aliases.csv)."""
