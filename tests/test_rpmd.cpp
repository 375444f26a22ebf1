// tests of the rpmd layer (placeholder)
