# Enlace build, run and test entry points. `make test` is what CI runs
# (through .ci/run); every step in it can also be run on its own.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build
# `make test` runs its steps in the order listed, even under -j.
.NOTPARALLEL:

export PATH := /usr/local/go/bin:$(HOME)/go/bin:$(PATH)

# Fyne reads the interface language from LANG and logs an error for the
# C/POSIX locale of minimal systems and containers; Enlace is Spanish
# anyway, so say so (tests pin their own language too).
ifneq (,$(filter C C.UTF-8 C.utf8 POSIX,$(or $(LANG),C)))
export LANG := es_ES.UTF-8
endif

BIN := bin/enlace
BIN_WINDOWS := bin/enlace.exe
# DIST holds what `make dist` builds: the Windows installer and the .deb.
DIST := dist
# APP_VERSION is FyneApp.toml's Version: the installers' version. Their
# binaries say APP_VERSION+commit.
APP_VERSION = $(shell sed -n 's/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\(.*\)"/\1/p' FyneApp.toml)
PKG := ./cmd/enlace

# VERSION is stamped into main.version; it is only computed when used and
# can be overridden on the command line: make build VERSION=1.2.3.
VERSION = $(shell git describe --always --dirty 2>/dev/null || echo dev)
# migrated_fynedo is the tag `fyne build` adds for [Migrations] fyneDo = true
# in FyneApp.toml; a plain `go build` has to pass it itself.
GOTAGS ?= migrated_fynedo
GOBUILDFLAGS = -tags '$(GOTAGS)' -ldflags '-X main.version=$(VERSION)'

# ARGS are passed to the app by `make run`, e.g. make run ARGS='--db /tmp/x.db'.
ARGS ?=
# FUZZ_TARGETS are pkg:FuzzName pairs, each fuzzed for FUZZTIME by `make fuzz`.
FUZZ_TARGETS ?= ./data:FuzzCheckDocument ./data:FuzzNormalizePhone \
	./data:FuzzParseDate ./data:FuzzProperCase ./data:FuzzFold ./data/forms:FuzzRead ./data/forms:FuzzParseDocument ./data/forms:FuzzParseReferrer ./data/forms:FuzzFreeText ./data/sync:FuzzMergeOrder ./reports:FuzzRedact
FUZZTIME ?= 10s
# BENCH selects benchmarks for `make bench`; BENCHPKGS the packages.
BENCH ?= .
BENCHPKGS ?= ./...

.PHONY: help deps test-deps build build-windows run test fmt-check vet layering \
	unit fuzz smoke wine-test dist dist-test bench clean

## help: list the targets.
help:
	@sed -n 's/^## //p' $(firstword $(MAKEFILE_LIST))

## deps: install the system packages needed to build and run (apt).
deps:
	scripts/install-deps.sh run

## test-deps: install the system packages needed by `make test` (apt).
test-deps:
	scripts/install-deps.sh test

## build: build bin/enlace for this machine.
build:
	go build $(GOBUILDFLAGS) -o $(BIN) $(PKG)

## build-windows: cross-build bin/enlace.exe (needs gcc-mingw-w64-x86-64).
build-windows:
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
		go build -tags '$(GOTAGS)' \
		-ldflags '-H=windowsgui -X main.version=$(VERSION)' \
		-o $(BIN_WINDOWS) $(PKG)

define NO_DISPLAY_MSG
No hay pantalla gráfica: ni DISPLAY ni WAYLAND_DISPLAY están definidas,
así que no se puede abrir la ventana de Enlace.
No graphical display (neither DISPLAY nor WAYLAND_DISPLAY is set): the Enlace window cannot open.

Sin pantalla puede usar Enlace desde la línea de órdenes:
  bin/enlace help                 lista todas las órdenes (list all commands)
  bin/enlace demo --db demo.db    crea una base de datos de demostración
  bin/enlace version              muestra la versión
La lista completa está en: bin/enlace help
endef
export NO_DISPLAY_MSG

## run: install deps, build and start the GUI (passes ARGS).
run: deps build
	@if [[ -z "$${DISPLAY:-}" && -z "$${WAYLAND_DISPLAY:-}" ]]; then \
		printf '%s\n' "$$NO_DISPLAY_MSG" >&2; \
		exit 2; \
	fi
	exec $(BIN) $(ARGS)

## test: everything CI checks, in order.
test: test-deps fmt-check vet layering unit fuzz build-windows wine-test smoke dist-test

## fmt-check: fail listing the files gofmt would change.
fmt-check:
	@unformatted=$$(gofmt -l .); \
	if [[ -n "$$unformatted" ]]; then \
		echo "gofmt: these files need formatting (run gofmt -w):" >&2; \
		echo "$$unformatted" >&2; \
		exit 1; \
	fi

## vet: go vet ./...
vet:
	go vet ./...

## layering: data/ and reports/ must not depend on Fyne (see STYLE.md).
# A directory that does not exist yet (git keeps no empty ones) is skipped.
LAYERED := data reports
layering:
	@pkgs=(); \
	for d in $(LAYERED); do [[ ! -d $$d ]] || pkgs+=("./$$d/..."); done; \
	deps=$$(go list -deps "$${pkgs[@]}"); \
	fyne=$$(grep fyne.io <<<"$$deps" || true); \
	if [[ -n "$$fyne" ]]; then \
		echo "layering: data/ or reports/ depends on Fyne:" >&2; \
		echo "$$fyne" >&2; \
		echo "find the importer with: go list -f '{{.ImportPath}}: {{.Imports}}' -deps $${pkgs[*]}" >&2; \
		exit 1; \
	fi

## unit: go test ./... (uncached).
unit:
	go test -count=1 ./...

## fuzz: run each of FUZZ_TARGETS for FUZZTIME; a missing target is an error. A run that
## ends only in Go's "context deadline exceeded" (a worker busy at the deadline, no failing
## input written) is run once more; a real finding fails at once.
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t#*:}; \
		list=$$(go test -list "^$${name}\$$" "$$pkg"); \
		if ! grep -qx "$$name" <<<"$$list"; then \
			echo "fuzz: $$name not found in $$pkg" >&2; \
			exit 1; \
		fi; \
		echo "fuzz: $$pkg $$name ($(FUZZTIME))"; \
		for try in 1 2; do \
			out=$$(go test "$$pkg" -run '^$$' -fuzz "^$${name}\$$" -fuzztime $(FUZZTIME) 2>&1) && { echo "$$out" | tail -3; break; }; \
			echo "$$out"; \
			if [[ $$try == 1 ]] && grep -q 'context deadline exceeded' <<<"$$out" && ! grep -q 'Failing input written' <<<"$$out"; then \
				echo "fuzz: $$name: the fuzzer's own deadline hit a busy worker (no failing input); once more" >&2; continue; \
			fi; \
			exit 1; \
		done; \
	done

## smoke: start bin/enlace under Xvfb and check its window appears.
smoke: build
	ENLACE_BIN=$(BIN) scripts/smoke.sh

## wine-test: run bin/enlace.exe under Wine on Xvfb: CLI, backup, window, lock message.
wine-test: build-windows
	ENLACE_EXE=$(BIN_WINDOWS) scripts/wine-test.sh

## dist: the Windows installer (NSIS) and the Debian package, in dist/.
dist:
	$(MAKE) --no-print-directory build BIN=$(DIST)/build/enlace VERSION=$(APP_VERSION)+$(VERSION)
	$(MAKE) --no-print-directory build-windows BIN_WINDOWS=$(DIST)/build/enlace.exe VERSION=$(APP_VERSION)+$(VERSION)
	rm -f $(DIST)/Enlace-*-setup.exe $(DIST)/enlace_*.deb
	scripts/build-setup.sh $(DIST)/build/enlace.exe $(DIST)
	scripts/build-deb.sh $(DIST)/build/enlace $(DIST)

## dist-test: install and uninstall both: setup.exe under Wine, the .deb with dpkg.
dist-test: dist
	scripts/dist-test.sh $(DIST)

## bench: run benchmarks (BENCH, BENCHPKGS).
bench:
	go test -run '^$$' -bench '$(BENCH)' -benchmem $(BENCHPKGS)

## clean: remove build outputs.
clean:
	rm -rf bin $(DIST)
