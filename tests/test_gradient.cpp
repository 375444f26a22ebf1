// tests of the gradient layer (placeholder)
