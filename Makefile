# The two README commands: `make demo` and `make test`. Both set up .venv first (idempotent).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
RUN := tools/venv-run
STAMP := $(VENV)/.setup-stamp
TOP_REQS := requirements/core.txt requirements/ros.txt requirements/dev.txt
PYTEST_ARGS ?=

.PHONY: setup test demo bench lock clean

setup: $(STAMP)

$(STAMP): $(TOP_REQS) requirements/lock.txt setup.py
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q $(addprefix -r ,$(TOP_REQS)) -c requirements/lock.txt
	$(VENV)/bin/pip install -q --no-deps --no-build-isolation -e .
	touch $@

test: setup
	$(RUN) python -m pytest $(PYTEST_ARGS)

demo: setup
	$(RUN) python -m thermal_fld_ros.cli demo

bench: setup  # also creates .venv-bench (MediaPipe, dlib) from requirements/bench.txt
	$(RUN) python -m thermal_fld_ros.cli bench --setup-peers

lock: setup
	{ head -n 2 requirements/lock.txt; $(VENV)/bin/pip freeze --exclude-editable; } > requirements/lock.tmp
	mv requirements/lock.tmp requirements/lock.txt

clean:
	rm -rf $(VENV) build install log *.egg-info
