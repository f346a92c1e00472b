# mnist-report: `make report` runs the main job, `make test` the tests.
# Both install the missing Debian packages first (as root, or through sudo).

SWIFT ?= swift
# The Debian packages, listed once for make, .ci/run and the workflow.
PACKAGES := $(shell cat .ci/debian-packages)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN := .build/release/mnist-report

.PHONY: deps build report quick test bench clean

deps:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release --product mnist-report

# The main job: every section's experiments with the notebook's settings, rendered into reports/latest/.
report: build
	$(BIN) build --profile full --name latest $(ARGS)

# The same in a few minutes (a few epochs per training), into reports/quick/.
quick: build
	$(BIN) build --profile quick --name quick $(ARGS)

test: deps
	$(SWIFT) test

bench: build
	$(BIN) bench

clean:
	rm -rf .build
