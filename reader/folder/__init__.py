"""Folder-scale analysis: who copied whom across many articles.

`sentence_index` finds the sentences articles share without comparing every pair;
`matrix` aligns the linked pairs and reads the directional matrix and per-sentence
provenance off them.  Nothing here touches a UI.
"""
