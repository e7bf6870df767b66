"""The dashboard of an area: its cards and municipality table, over time, and its coverage."""
