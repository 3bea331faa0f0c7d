"""Build hook: a wheel carries the course (notebooks, their contracts, the data) as package data.

Everything else about the package is declared in pyproject.toml. The course's folders stay
where a clone has them (``notebooks/``, ``data/``); at build time they are copied into the
wheel under ``infra_lab/_course/``, where ``infra_lab._paths.packaged_root`` finds them.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
COURSE_FILES = ["notebooks", "data", "README.md", "LICENSE", "outputs/README.md"]


class build_py_with_course(build_py):
    def run(self):
        super().run()
        if self.editable_mode:  # an editable install reads the checkout itself
            return
        target = Path(self.build_lib) / "infra_lab" / "_course"
        for rel in COURSE_FILES:
            src, dst = ROOT / rel, target / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, dst, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
            else:
                shutil.copy2(src, dst)


setup(cmdclass={"build_py": build_py_with_course})
