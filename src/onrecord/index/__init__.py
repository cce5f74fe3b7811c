"""Index: the passages of the store made searchable, by words (lexical) and by meaning (dense)."""
