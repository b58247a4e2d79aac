"""Alignment beyond word overlap: evidence of reuse between two sentences, one calibrated
probability of a link, and how it joins the word-overlap passes (`reader.align`)."""
