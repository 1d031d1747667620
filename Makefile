# The two commands (see README.md):  make demo   and   make test
# `make` alone builds build/shumao.
BUILD   ?= build
JOBS    ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all setup configure build web test demo bench clean format lint layering

all: build

setup:
	@scripts/setup

$(BUILD)/CMakeCache.txt: | setup
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

configure: $(BUILD)/CMakeCache.txt

build: setup configure web
	cmake --build $(BUILD) -j $(JOBS)

# The web UI (web/, Vite + Vue 3 + ECharts) into web/dist, which `shumao serve --web-root`
# serves at /; rebuilt when a source is newer than web/dist/index.html (docs/web.md).
WEB_SOURCES := $(wildcard web/index.html web/vite.config.js web/package.json web/package-lock.json \
                 data/countries.csv data/units.csv) $(shell find web/src -type f 2>/dev/null)

web: $(if $(wildcard web/package.json),web/dist/index.html)

web/dist/index.html: $(WEB_SOURCES) | setup
	cd web && npm run build --silent

# Unit and integration tests on SQLite and on a real PostgreSQL 15 that scripts/test
# starts (loopback, temporary directory) and stops; then the layering check.
test: build
	scripts/test

demo: build
	scripts/demo

bench: build
	$(BUILD)/shumao bench --scenario intake --parcels 200000

layering:
	python3 tools/check_layering.py

format:
	find src tests bench -name '*.cc' -o -name '*.h' | xargs clang-format -i

lint:
	run-clang-tidy -p $(BUILD) -quiet src

clean:
	rm -rf $(BUILD)
