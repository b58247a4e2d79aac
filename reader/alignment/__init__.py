"""The aligner's machinery, behind `reader.align`: each sentence as the aligner sees it
(`prepared`), which sentence pairs to compare and how alike they are (`scoring`), reused
clauses (`clauses`), evidence of reuse beyond word overlap and one calibrated probability
of a link (`evidence`, `linker`, `relink`), subheads run into a copied sentence
(`headings`), and the optional sentence embeddings (`semantic`)."""
