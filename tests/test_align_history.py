"""An alignment must not depend on what the process aligned before.

Word ids are process-wide and assigned in order of first sight, so a matrix worker
that aligned other articles first numbers words differently from a fresh
`reader diff`; the labels must come out the same (diff == matrix cell).  Checked on
a pair long enough for the capped candidate index, where ties between equally rare
keys are broken.
"""
from __future__ import annotations

import subprocess
import sys

from support import ROOT

CHILD = r"""
import sys, json, random
sys.path.insert(0, {bench!r})
from gen import labelled_pair
from reader.runtime import forking
from reader.align import align
from reader.articles import article_from_sentences as article
from reader.serialise import alignment_json

forking.disable()
left, right, _ = labelled_pair(600, seed=11)
if {shuffled}:  # number every word in another order first
    words = sorted({{w for s in left + right for w in s.lower().replace(".", " ").split()}})
    random.Random(5).shuffle(words)
    align(article([" ".join(words[k:k + 20]) + "." for k in range(0, len(words), 20)], "x"),
          article(["Nothing here."], "y"))
al = alignment_json(align(article(left, "l"), article(right, "r")))
print(json.dumps([al["pairs"], [s["status"] for s in al["left"]["sentences"]]]))
"""


def _run(shuffled: bool) -> str:
    code = CHILD.format(bench=str(ROOT / "bench"), shuffled=shuffled)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=ROOT).stdout


def test_labels_do_not_depend_on_earlier_alignments():
    fresh, shuffled = _run(False), _run(True)
    assert fresh and fresh == shuffled
