# infra-lab: two commands on a fresh machine —
#   make course   set up .venv (if needed) and execute the whole course into outputs/
#   make test     set up .venv (if needed) and run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
JOBS   ?= 2
NBTEST := build/nbval

.PHONY: course test lab site setup benchmark mutation hooks strip clean

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

# The R edition of notebook 14 runs under the `ir` kernel (Debian: r-base-core r-cran-irkernel);
# without it `make course` runs every other notebook and says that it skipped the R one.
HAS_IR = $(PY) -c "from infra_lab.runner import kernel_available as k; raise SystemExit(not k('ir'))"
PY_STEMS = $(PY) -c "from infra_lab.syllabus import SYLLABUS; print(' '.join(c.stem for c in SYLLABUS if not c.stem.endswith('_r')))"

course: $(STAMP)
	@if $(HAS_IR); then \
	  $(VENV)/bin/infra-lab run --output-dir outputs --jobs $(JOBS); \
	else \
	  echo "make course: no 'ir' Jupyter kernel, so 14_capstone_readiness_review_r is SKIPPED" \
	       "(install R and its kernel: sudo apt-get install r-base-core r-cran-irkernel)"; \
	  $(VENV)/bin/infra-lab run $$($(PY_STEMS)) --output-dir outputs --jobs $(JOBS); \
	fi

# Notebooks are executed by nbval from a staged copy, so their default output_dir
# (../outputs/<stem>) lands in build/ and never touches outputs/. The R notebook (*_r.ipynb) is
# kept out of the Python nbval run: tests/test_nb_14_capstone_readiness_review_r.py executes it
# under the ir kernel with papermill and compares its files with the Python port's.
test: $(STAMP)
	@rm -rf $(NBTEST) && mkdir -p $(NBTEST) && cp -r notebooks $(NBTEST)/notebooks && rm -f $(NBTEST)/notebooks/*_r.ipynb
	$(PY) -m pytest -n $(JOBS) --dist loadfile tests infra_lab $(NBTEST)/notebooks --nbval-lax --nbval-current-env

# The offline HTML edition (outputs/site/index.html) from the executed course.
site: course
	$(VENV)/bin/infra-lab site --executed outputs/executed --output-dir outputs/site

# JupyterLab on the notebooks. Uses .venv as it is when it exists (no reinstall after a manual
# install); as root (containers, CI machines) Jupyter needs --allow-root.
lab:
	@test -x $(VENV)/bin/jupyter || $(MAKE) setup
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

# git pre-commit hook that refuses notebooks with outputs; `make strip` strips them.
hooks:
	install -m 755 tools/pre-commit .git/hooks/pre-commit

strip:
	$(if $(wildcard $(PY)),$(PY),$(PYTHON)) tools/strip_outputs.py

benchmark: $(STAMP)
	$(PY) benchmarks/run.py

# Mutation testing of the formula modules (minutes; not part of `make test`).
mutation: $(STAMP)
	$(PY) tools/mutation.py

clean:
	rm -rf build outputs/executed mutants
