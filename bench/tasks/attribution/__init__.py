"""The attribution task: who said or reported what, nested sources included."""
