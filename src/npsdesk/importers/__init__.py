"""Reading survey exports and customer feeds into the store: readers, column maps, values."""
