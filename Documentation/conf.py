# SPDX-License-Identifier: GPL-2.0
"""Sphinx configuration of gotimer's documentation (make htmldocs).

The API reference and the transition table come from the kernel-doc
comments of module/, through the kernel's own kernel-doc Sphinx extension
(Documentation/sphinx/kerneldoc.py and scripts/kernel-doc of the 6.12
source tree the test kernel is built from).  scripts/htmldocs finds that
tree as scripts/lint does and passes it in GOTIMER_KSRC; without it, the
newest tree unpacked under /var/cache/gotimer/src is used.
"""
import glob
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
top = os.path.dirname(here)

ksrc = os.environ.get("GOTIMER_KSRC")
if not ksrc:
    cache = os.environ.get("GOTIMER_CACHE", "/var/cache/gotimer")
    trees = sorted(glob.glob(os.path.join(cache, "src", "linux-source-6.12-*")))
    ksrc = trees[-1] if trees else ""
if not os.path.isfile(os.path.join(ksrc, "Documentation", "sphinx", "kerneldoc.py")):
    sys.exit("conf.py: no kernel source tree with Documentation/sphinx/kerneldoc.py "
             "(set GOTIMER_KSRC, or run scripts/htmldocs, which builds it)")
sys.path.insert(0, os.path.join(ksrc, "Documentation", "sphinx"))

project = "gotimer"
copyright = "gotimer authors, GPL-2.0"
extensions = ["kerneldoc"]
kerneldoc_bin = os.path.join(ksrc, "scripts", "kernel-doc")
kerneldoc_srctree = top
kerneldoc_verbosity = 0

primary_domain = "c"
highlight_language = "none"
master_doc = "index"
exclude_patterns = ["ABI"]
html_theme = "alabaster"
html_static_path = []
smartquotes = False  # "deleted--" stays as written
