"""Geography: boundaries of oblasts and rayons, and which units touch which neighbouring country (border lengths,
distances)."""
