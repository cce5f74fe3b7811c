"""The second stage of retrieval: a model that reads the question and each candidate moment
together and reorders the first stage's candidates by how well each answers."""
