# nbsim's image, for the Kubernetes Jobs of deploy/kubernetes (docs/scale.md):
#
#   docker build -t nbsim:dev .
#
# Two stages: the build needs cgo, a C compiler and PROJ's headers
# (libproj-dev, for the geo package); the runtime image only PROJ's library
# and its data (libproj25, which brings proj.db). The binary runs as an
# unprivileged user (65532); the Jobs give the shared volume that group.
FROM golang:1.26-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libproj-dev pkgconf \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# -buildvcs=false: .git is not in the build context (.dockerignore); every
# shard of one run uses one image, so the shards' nbsim versions agree.
RUN CGO_ENABLED=1 go build -trimpath -buildvcs=false -o /out/nbsim ./cmd/nbsim

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libproj25 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/nbsim /usr/local/bin/nbsim
COPY campaigns /opt/nbsim/campaigns
USER 65532:65532
WORKDIR /data
ENTRYPOINT []
CMD ["nbsim", "--help"]
