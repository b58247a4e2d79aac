"""Folder-scale analysis: who copied whom across many articles.

`sentence_index` finds the sentences articles share without comparing every pair;
`matrix` aligns the linked pairs and reads the directional matrix and per-sentence
provenance off them; `loading` lists a whole folder for the app (one cache record when
reopened, helper processes when not).  Nothing here touches a UI.
"""
