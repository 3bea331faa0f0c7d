"""infra_lab — the library behind the course *AI Infrastructure: Data Pipelines, Compute,
and Deployment Systems*.

One module per topic (``pipelines``, ``readiness``, ``quality``, ``storage``, ``compute``,
``parallel``, ``serving``), the bundled real data (``datasets``), the article's tables
(``article``), the syllabus and formula registry (``syllabus``) and the course runner
(``runner``, command ``infra-lab``). Import the module you need, e.g.
``from infra_lab import serving``.
"""

__version__ = "0.2.0"
