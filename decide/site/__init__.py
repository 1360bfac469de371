"""The published site, in the order a page is made.

``pages`` renders every generated page from the index (``memo_page`` for one decision, ``guide``
for how-we-decide and the command-line reference, ``feed`` for RSS, ``chart`` for the bar charts),
all of them built from ``html`` (escaping, links, badges, tables); ``body`` says what a memo's own
text becomes and whether it would run script. ``plugin`` hands the pages to MkDocs and ``build``
runs MkDocs: the only two modules that import it.
"""
