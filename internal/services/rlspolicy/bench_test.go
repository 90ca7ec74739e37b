package rlspolicy_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	_ "github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest" // sets TF_ACC_TERRAFORM_PATH
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/provider"
)

const providerAddr = "registry.terraform.io/youcanjustdothings/officehours"

// BenchmarkPlan200Policies measures what a user waits for in `terraform
// plan` (refresh and plan, parallelism 10) with 200 policies on one table:
// the real terraform binary against the provider served in-process. Each
// policy costs a catalog read and a server-side normalisation.
func BenchmarkPlan200Policies(b *testing.B) {
	if os.Getenv("TF_ACC") == "" {
		b.Skip("set TF_ACC=1: this benchmark runs the terraform binary")
	}
	db := newDB(b, officeHoursSchema)
	dir := b.TempDir()
	config := `terraform {
  required_providers {
    officehours = { source = "youcanjustdothings/officehours" }
  }
}
` + manyPolicies(db, 200)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	tf, reattach := terraformWithProvider(ctx, b, dir)
	if err := tf.Init(ctx, reattach); err != nil {
		b.Fatalf("terraform init: %v", err)
	}
	if err := tf.Apply(ctx, reattach); err != nil {
		b.Fatalf("terraform apply: %v", err)
	}
	if n := len(db.policyNames(b, "public", "bookings")); n != 200 {
		b.Fatalf("%d policies after apply, want 200", n)
	}
	b.ResetTimer()
	for b.Loop() {
		changed, err := tf.Plan(ctx, reattach)
		if err != nil {
			b.Fatalf("terraform plan: %v", err)
		}
		if changed {
			b.Fatal("plan after apply is not empty")
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N)/200, "ms/policy")
}

// terraformWithProvider serves the provider in-process for the benchmark's
// lifetime and returns a terraform that reattaches to it instead of
// installing it.
func terraformWithProvider(ctx context.Context, b *testing.B, dir string) (*tfexec.Terraform, *tfexec.ReattachOption) {
	b.Helper()
	// In-process, the SDK's loggers would write every RPC to stderr.
	for _, v := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		b.Setenv(v, "OFF")
	}
	reattach := make(chan *plugin.ReattachConfig)
	closed := make(chan struct{})
	serveCtx, stop := context.WithCancel(ctx)
	go func() {
		err := tf6server.Serve(providerAddr, providerserver.NewProtocol6(provider.New("bench")()),
			tf6server.WithDebug(serveCtx, reattach, closed),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()))
		if err != nil {
			b.Error(err)
		}
	}()
	var cfg *plugin.ReattachConfig
	select {
	case cfg = <-reattach:
	case <-time.After(10 * time.Second):
		b.Fatal("provider server did not start")
	}
	b.Cleanup(func() { stop(); <-closed })
	info := tfexec.ReattachInfo{providerAddr: {
		Protocol: string(cfg.Protocol), ProtocolVersion: cfg.ProtocolVersion, Pid: cfg.Pid, Test: true,
		Addr: tfexec.ReattachConfigAddr{Network: cfg.Addr.Network(), String: cfg.Addr.String()},
	}}
	tf, err := tfexec.NewTerraform(dir, os.Getenv("TF_ACC_TERRAFORM_PATH"))
	if err != nil {
		b.Fatal(err)
	}
	return tf, tfexec.Reattach(info)
}
