"""Articles as people have them: web addresses, PDFs, Word files, e-mail, corpus files.

Every input kind has its own module (`web`, `pdf`, `docx`, `email`, `corpus`) that
turns its source into the text the rest of reader works on, plus metadata (title,
date, outlet, URL) where the source has it; `registry` maps a path or URL to the
module that reads it.  Plain text and saved HTML stay where they were
(`reader.articles`, `reader.html_input`).  Each module imports its third-party
library only when such an input is read, so `reader diff a.txt b.txt` starts as fast
as before.
"""
