#!/usr/bin/env bash
# Installs the third-party checkers the test suite runs (markdownlint-cli2)
# into target/tools, so `cargo test` needs nothing installed globally.
# The version is pinned: a new release may enable new rules by default, and
# that should be a deliberate change, not a red build.
set -euo pipefail
cd "$(dirname "$0")/.."
MARKDOWNLINT_CLI2_VERSION="0.22.1"
mkdir -p target/tools
npm install --no-audit --no-fund --no-save --prefix target/tools \
  "markdownlint-cli2@${MARKDOWNLINT_CLI2_VERSION}"
test -x target/tools/node_modules/.bin/markdownlint-cli2
echo "markdownlint-cli2 ${MARKDOWNLINT_CLI2_VERSION} is in target/tools"
