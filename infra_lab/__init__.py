"""infra_lab — the library behind the course *AI Infrastructure: Data Pipelines, Compute,
and Deployment Systems*.

One module (or sub-package) per topic: ``pipelines``, ``readiness``, ``quality``, ``storage``,
``stats``, ``compute``, ``parallel``, ``serving``, ``workload``, ``mlops``, ``governance``,
``reliability``, ``observability``, ``security`` and ``plots``; the bundled real data
(``datasets``), the article's tables (``article``), the syllabus and formula registry
(``syllabus``), the notebook helpers (``notebook``), the course runner (``runner``, command
``infra-lab``) and the offline site (``site``). Import the module you need, e.g.
``from infra_lab import serving``. The README's "Library layout" shows each part.
"""

__version__ = "0.2.0"
