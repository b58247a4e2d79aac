"""Process and speed plumbing, in one place so the domain stays plain Python.

- `forking`: run a function in a forked child and collect its result (the aligner's
  second clause direction, the matrix's verification workers), or run it inline
  where forking is unsafe (threads running, the app, READER_NO_FORK).
- `gcpause`: pause the cycle collector while a pass allocates many acyclic objects.
- `heap`: give freed memory back to the system before a long wait or a fork.
- `lifeline`: worker processes die with their parent; SIGTERM is a clean stop.
- `text_cache`: the per-sentence caches, bounded, keeping what was used lately, and
  dropping the sentences of articles a worker is done with.

The quick exit of one-shot commands (skip interpreter teardown) is the CLI's
(`reader.cli.entry`); the folder matrix's process pool is `reader.folder.align_pool`.
"""
