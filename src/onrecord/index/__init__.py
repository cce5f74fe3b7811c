"""Index: passages cut from transcripts, lexical and dense retrieval over them."""
