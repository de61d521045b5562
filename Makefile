# nbsim — the two commands a fresh machine needs:
#   make run    runs the cow-collar scenario on its shipped defaults
#   make test   runs the tests (short mode: every shipped scenario, shortened)
GO ?= go
OUT ?= out/cow-collars

.PHONY: run test test-long bench fuzz vet lint build clean

build:
	$(GO) build ./...

run:
	$(GO) run ./cmd/nbsim run cow-collars --out $(OUT)

test:
	$(GO) vet ./...
	$(GO) test -short -count=1 ./...

test-long:
	$(GO) test -count=1 -timeout 60m ./...

# Benchmarks behind the performance targets (README "Performance").
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 1x ./model/
	$(GO) test -run '^$$' -bench . -benchmem ./sim/ ./phy/ ./mac/

# Short fuzzing of every fuzz target (FUZZTIME per target).
FUZZTIME ?= 20s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list 'Fuzz.*' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

vet:
	$(GO) vet ./...

lint: vet
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

clean:
	rm -rf out
