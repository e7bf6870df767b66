"""Reading files the careful way: bytes to grids, headers, rows, cells, and quota files."""
