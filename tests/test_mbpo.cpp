// tests of the mbpo layer (placeholder)
