# mnist-report: `make report` runs the main job, `make test` the tests.
# Both install the missing Debian packages first (as root, or through sudo).

SWIFT ?= swift
PACKAGES := libopenblas-dev zlib1g-dev libcairo2-dev fonts-dejavu-core pkg-config
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN := .build/release/mnist-report

.PHONY: deps build report test bench clean

deps:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release --product mnist-report

# The main job: for now the trainings of part 2 (sections 2.3 and 2.4), with their results in reports/.
report: build
	@mkdir -p reports/latest
	$(BIN) train mlp64 --json reports/latest/mlp64.json
	$(BIN) train mlp500 --json reports/latest/mlp500.json

test: deps
	$(SWIFT) test

bench: build
	$(BIN) bench

clean:
	rm -rf .build
