# nbsim — the two commands a fresh machine needs:
#   make run    runs the cow-collar scenario on its shipped defaults
#   make test   runs the gates (make check) and the tests (short mode: every
#               shipped scenario, shortened; -race where goroutines are)
GO ?= go
OUT ?= out/cow-collars
# The pinned tools (staticcheck, gocyclo) are in .ci/tools.mod, a module of
# their own so that their dependencies do not change the program's.
TOOL = $(GO) tool -modfile=.ci/tools.mod

# The packages with goroutines (the realtime driver, epc's stderr logger, the
# S1AP servers and transports, the gateway, the platform, the modules, the
# emulator, the CLI, the campaign runner): their tests run with the race detector (it needs cgo:
# gcc and libc6-dev), the other packages' without it. The longest first, and
# three test binaries at a time: most of their time is the emulator's real
# time waiting, not CPU (.ci/run from a clean clone of df452d7 took 5:58 with
# two at a time and the short ones first, installs included; make test 4:41
# on the idle machine with this order and -p 3).
RACE_PKGS = ./cmd/nbsim ./emulate ./devtest ./sweep ./platform ./sim ./epc/s1 ./epc/s1mme ./epc/gw ./module ./epc

.PHONY: run test test-short test-race test-long check bench fuzz fmt vet lint staticcheck complexity build clean deps

# What building needs besides Go (a C compiler and PROJ, for the geo
# package): installed on a Debian machine run as root, else named.
deps:
	@scripts/build-deps.sh

build: deps
	$(GO) build ./...

run: deps
	$(GO) run ./cmd/nbsim run cow-collars --out $(OUT)

test: deps check test-short test-race

# The short tests of every package not in RACE_PKGS.
test-short: deps
	$(GO) test -short -count=1 $$($(GO) list ./... | grep -vxF "$$($(GO) list $(RACE_PKGS))")

# The short tests of RACE_PKGS, with the race detector.
test-race: deps
	$(GO) test -race -short -count=1 -p 3 $(RACE_PKGS)

# The gates that read the code: vet, staticcheck, the complexity ceiling.
check: fmt vet staticcheck complexity

test-long: deps
	$(GO) test -count=1 -timeout 60m ./...

# Benchmarks behind the performance targets (README "Performance").
bench: deps
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 1x ./model/ ./sweep/
	$(GO) test -run '^$$' -bench . -benchmem ./sim/ ./phy/ ./mac/

# Short fuzzing of every fuzz target (FUZZTIME per target).
FUZZTIME ?= 20s
fuzz: deps
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list 'Fuzz.*' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

# gofmt: every Go file formatted (lists the ones that are not, and fails).
fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet: deps
	$(GO) vet ./...

staticcheck: deps
	$(TOOL) staticcheck ./...

lint: vet staticcheck

# Cyclomatic complexity over 30 only for the functions of
# .ci/complexity-baseline.txt, a list that may only shrink.
complexity:
	scripts/complexity.sh

clean:
	rm -rf out
