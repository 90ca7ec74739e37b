#!/usr/bin/env bash
# Runs `terraform test` in every module (or the ones named as arguments)
# against the running local stack (`make module-test` starts it).
#
# The Cloudflare objects of the suites are told apart by name (each suite
# uses oh-test-<module>...). Migrations cannot be, so each test file gets a
# database of its own, a fresh copy of the stack's Supabase fixture that is
# dropped afterwards; the development environment's database is never
# touched. A suite's full output is printed only when it fails.
set -euo pipefail
: "${TF_CLI_CONFIG_FILE:?set TF_CLI_CONFIG_FILE to the project CLI configuration (make install writes it)}"
: "${SUPABASE_DB_URL:?source .officehours/local.env first (make local-up writes it)}"
terraform=${TERRAFORM:-terraform}
psql=${PSQL:-$(pg_config --bindir)/psql}
cd "$(dirname "$0")"

modules=("$@")
[ ${#modules[@]} -gt 0 ] || modules=(api web database storage environment)

stack_url=$SUPABASE_DB_URL
[[ $stack_url =~ ^(.*/)[^/?]+(\?.*)?$ ]] || { echo "cannot parse SUPABASE_DB_URL" >&2; exit 1; }
url_for() { echo "${BASH_REMATCH[1]}$1${BASH_REMATCH[2]}"; }
sql() { "$psql" -qX -v ON_ERROR_STOP=1 "$stack_url" -c "$1" >/dev/null 2>&1; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
failed=()
for m in "${modules[@]}"; do
  started=$SECONDS
  echo "==> terraform test: modules/$m"
  # The provider is rebuilt under one dev version; an old lock file would not
  # match its checksum.
  rm -f "$m/.terraform.lock.hcl"
  if ! "$terraform" -chdir="$m" init -upgrade -input=false -no-color >"$log" 2>&1; then
    cat "$log"; failed+=("$m"); continue
  fi
  # Each test file gets a database of its own: a migration history outlives
  # a destroy, and one file's migrations must not meet another's files.
  for file in "$m"/tests/*.tftest.hcl; do
    db=oh_test_${m}_$(basename "$file" .tftest.hcl)
    sql "drop database if exists $db with (force)"
    sql "create database $db template supabase_fixture"
    sql "alter database $db set statement_timeout = '2min'" # as hosted; clones do not inherit it
    if SUPABASE_DB_URL=$(url_for "$db") "$terraform" -chdir="$m" test -no-color -filter="tests/$(basename "$file")" >"$log" 2>&1; then
      grep -E '^(tests/.*\.\.\. (pass|fail)$|  run |Success!)' "$log" | grep -v '\.\.\. in progress' || true
    else
      cat "$log"; failed+=("$m/$(basename "$file")")
    fi
    sql "drop database if exists $db with (force)"
  done
  echo "    modules/$m: $((SECONDS - started))s"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "module tests failed: ${failed[*]}"; exit 1
fi
