//go:build generate

// Package tools pins the code generators `go generate` runs.
package tools

import (
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)

// Format the examples, then generate docs/ from the schema descriptions, the
// examples and templates/. tfplugindocs finds terraform on PATH.
//go:generate terraform fmt -recursive ../examples/
//go:generate go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs generate --provider-dir .. --provider-name officehours
