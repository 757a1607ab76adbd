"""Reading and writing files: imports, caches, downloads."""
