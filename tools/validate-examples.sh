#!/usr/bin/env bash
# Validates every Terraform directory under examples/ and modules/ with the
# provider from the project's filesystem mirror. Resource examples are
# tfplugindocs snippets without a terraform block, so each is validated in a
# temporary copy with one added.
set -euo pipefail
: "${TF_CLI_CONFIG_FILE:?set TF_CLI_CONFIG_FILE to the project CLI configuration (make install writes it)}"
terraform=${TERRAFORM:-terraform}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failed=0
for dir in $(find examples modules -name '*.tf' -not -path '*/.terraform/*' -not -path '*/tests/*' -printf '%h\n' 2>/dev/null | sort -u); do
  target=$dir
  if ! grep -qs required_providers "$dir"/*.tf; then
    target=$work/$(echo "$dir" | tr / _)
    mkdir -p "$target"
    cp "$dir"/*.tf "$target"/
    printf 'terraform {\n  required_providers {\n    officehours = { source = "youcanjustdothings/officehours" }\n  }\n}\n' > "$target/zz_versions.tf"
  fi
  # The provider is rebuilt under the same dev version: a lock file from an
  # earlier build would not match its checksum.
  rm -f "$target/.terraform.lock.hcl"
  if "$terraform" -chdir="$target" init -upgrade -backend=false -input=false -no-color >"$work/out" 2>&1 &&
     "$terraform" -chdir="$target" validate -no-color >>"$work/out" 2>&1; then
    echo "valid: $dir"
  else
    echo "INVALID: $dir"; cat "$work/out"; failed=1
  fi
done
exit $failed
