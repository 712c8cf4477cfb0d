#!/usr/bin/env bash
# Prints the directory that holds the Pulumi CLI and its Python language host.
#
# Uses `pulumi` from PATH when there is one. Otherwise builds the pinned release from its published
# Go modules, once per machine, into a cache outside the repository.
set -euo pipefail

PULUMI_VERSION="v3.260.0"
# The Go module proxy refuses every version of the stand-alone language host module
# (github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3: "403 This module version is
# not available"). The host was a package of the SDK module up to v3.79, and the proxy serves that
# SDK at v3.68.0, so the host is built from there; it speaks the same language-host protocol.
LANGUAGE_HOST_SDK_VERSION="v3.68.0"
CLIPBOARD_REPLACE="github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e"

log() { echo "ensure-pulumi: $*" >&2; }

if [ -z "${OCP_PROVIDER_BUILD_PULUMI:-}" ] && command -v pulumi >/dev/null 2>&1; then
  dirname "$(command -v pulumi)"
  exit 0
fi

cache_root="${OCP_PROVIDER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ocp-provider}"
bin_dir="$cache_root/pulumi-$PULUMI_VERSION/bin"
wanted=(pulumi pulumi-language-python pulumi-resource-pulumi-python pulumi-language-python-exec)

complete() {
  for tool in "${wanted[@]}"; do [ -x "$bin_dir/$tool" ] || return 1; done
}

if complete; then
  echo "$bin_dir"
  exit 0
fi

command -v go >/dev/null 2>&1 || { log "no pulumi on PATH and no Go toolchain to build it"; exit 1; }
mkdir -p "$cache_root"
exec 9>"$cache_root/build.lock"
# Two builds at once (say, `make demo` and `make test`) would waste minutes; flock is Linux's.
if command -v flock >/dev/null 2>&1; then flock 9; fi
if complete; then
  echo "$bin_dir"
  exit 0
fi

work="$(mktemp -d "$cache_root/build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/cli" "$work/lang" "$work/bin"
log "building the Pulumi CLI $PULUMI_VERSION from Go modules (once per machine, a few minutes)"

cat >"$work/cli/go.mod" <<GOMOD
module ocpprovider.local/pulumi-cli

go 1.26

replace $CLIPBOARD_REPLACE
GOMOD
(
  cd "$work/cli"
  go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$PULUMI_VERSION" \
    "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION" >&2
  go build -trimpath -o "$work/bin/pulumi" \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
)

log "building the Python language host from the SDK module $LANGUAGE_HOST_SDK_VERSION"
cat >"$work/lang/go.mod" <<GOMOD
module ocpprovider.local/pulumi-language-python

go 1.26
GOMOD
(
  cd "$work/lang"
  go get "github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python@$LANGUAGE_HOST_SDK_VERSION" >&2
  go build -trimpath -o "$work/bin/pulumi-language-python" \
    github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python >&2
)

# The two helper scripts a CLI release ships beside its binaries live in the SDK module.
sdk_dir="$(cd "$work/cli" && go list -m -f '{{.Dir}}' "github.com/pulumi/pulumi/sdk/v3")"
install -m 0755 "$sdk_dir/python/dist/pulumi-resource-pulumi-python" "$work/bin/"
install -m 0755 "$sdk_dir/python/cmd/pulumi-language-python-exec" "$work/bin/"

mkdir -p "$(dirname "$bin_dir")"
rm -rf "$bin_dir"
mv "$work/bin" "$bin_dir"
log "installed into $bin_dir"
echo "$bin_dir"
