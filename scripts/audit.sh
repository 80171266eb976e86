#!/usr/bin/env bash
# `make lint`: known vulnerabilities in the installed dependencies (pip-audit against
# PyPI's advisory data, which needs the network). A vulnerability always fails.
# When the advisory data cannot be had for every dependency (offline, or a mirror
# without it) the audit is skipped with a notice, so lint still works offline,
# unless TCM_REQUIRE_AUDIT=1 asks for a complete audit, which then fails instead.
set -uo pipefail
cd "$(dirname "$0")/.."

output=$(.venv/bin/pip-audit --strict --skip-editable --progress-spinner off 2>&1)
status=$?
if [ "$status" -eq 0 ] || grep -q "Found [0-9]* known vulnerabilit" <<<"$output"; then
    echo "$output"
    exit "$status"
fi
if [ "${TCM_REQUIRE_AUDIT:-0}" = 1 ]; then
    echo "$output"
    echo "pip-audit: the audit is incomplete and TCM_REQUIRE_AUDIT=1" >&2
    exit 1
fi
echo "pip-audit: advisory data unavailable for some packages; skipped, TCM_REQUIRE_AUDIT=1 makes this fail" >&2
exit 0
