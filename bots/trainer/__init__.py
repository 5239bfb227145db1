"""What trainers use: the walkthrough, the illustrated guide and practice mode."""
