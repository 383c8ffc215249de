// Package orderprocessing tests the order-processing example end to end:
// the real `stepwise serve` binary, the Go activity worker and the shell
// worker (aws CLI), on loopback.
package orderprocessing

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

var activities = []string{"validate-order", "check-inventory", "process-payment", "allocate-inventory",
	"ship-order", "notify-customer", "refund-payment", "release-inventory"}

// awsCLI finds the Debian aws CLI (the machine may have another on PATH).
func awsCLI(t *testing.T) string {
	for _, p := range []string{"/usr/bin/aws"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("aws"); err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatal("the aws CLI is required in CI (.ci/run installs Debian's awscli)")
	}
	t.Skip("no aws CLI on this machine")
	return ""
}

func build(t *testing.T, dir, pkg, out string) string {
	t.Helper()
	bin := filepath.Join(dir, out)
	cmd := exec.Command("go", "build", "-o", bin, pkg)
	cmd.Dir = filepath.Join("..", "..")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build %s: %v\n%s", pkg, err, b)
	}
	return bin
}

// start runs a command in its own process group, stopped at cleanup.
func start(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	})
}

func TestOrderProcessing(t *testing.T) {
	awsPath := awsCLI(t)
	dir := t.TempDir()
	server := build(t, dir, "./cmd/stepwise", "stepwise")
	worker := build(t, dir, "./examples/order-processing/worker", "worker")

	// The server prints its address when it is ready: no polling.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	srv := exec.Command(server, "serve", "--listen", addr, "--data", filepath.Join(dir, "data"))
	stderr, _ := srv.StderrPipe()
	start(t, srv)
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "stepwise serving") {
				close(ready)
				break
			}
		}
		for sc.Scan() {
		}
	}()
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start")
	}
	endpoint := "http://" + addr

	ctx := context.Background()
	client := sfn.New(sfn.Options{BaseEndpoint: awsString(endpoint), Region: "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	for _, a := range activities {
		if _, err := client.CreateActivity(ctx, &sfn.CreateActivityInput{Name: awsString(a)}); err != nil {
			t.Fatalf("create activity %s: %v", a, err)
		}
	}
	def, err := os.ReadFile("order.asl.json")
	if err != nil {
		t.Fatal(err)
	}
	sm, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: awsString("orders"),
		Definition: awsString(string(def)), RoleArn: awsString("arn:aws:iam::123456789012:role/orders")})
	if err != nil {
		t.Fatal(err)
	}

	start(t, exec.Command(worker, "--endpoint", endpoint))
	sh := exec.Command("bash", "worker.sh")
	sh.Env = append(os.Environ(), "ENDPOINT="+endpoint, "AWS="+awsPath, "STOP_FILE="+filepath.Join(dir, "stop"))
	start(t, sh)

	tests := []struct {
		name, input, status, errName string
		check                        func(t *testing.T, out map[string]any, events []types.HistoryEvent)
	}{
		{name: "happy path", status: "SUCCEEDED",
			input: `{"orderId":"o-1","items":[{"sku":"BOOK-1","qty":2}],"total":42.5,"card":"visa"}`,
			check: func(t *testing.T, out map[string]any, events []types.HistoryEvent) {
				want := map[string]string{"payment": "txn-o-1", "shipment": "TRK-o-1", "allocation": "alloc-o-1"}
				got := map[string]string{
					"payment":    str(out, "payment", "transactionId"),
					"shipment":   str(out, "shipment", "trackingNumber"),
					"allocation": str(out, "allocation", "allocationId"),
				}
				for k, v := range want {
					if got[k] != v {
						t.Errorf("%s = %q, want %q", k, got[k], v)
					}
				}
				if n, _ := out["notification"].(map[string]any); n["notified"] != true {
					t.Errorf("notification %v", out["notification"])
				}
				workers := map[string]bool{}
				for _, e := range events {
					if d := e.ActivityStartedEventDetails; d != nil {
						workers[aws0(d.WorkerName)] = true
					}
				}
				if !workers["go-worker"] || !workers["shell-worker"] {
					t.Errorf("workers %v, want both the Go and the shell worker", workers)
				}
			}},
		{name: "payment declined is compensated", status: "FAILED", errName: "OrderFailed",
			input: `{"orderId":"o-2","items":[{"sku":"BOOK-2","qty":1}],"total":10,"card":"declined"}`,
			check: func(t *testing.T, out map[string]any, events []types.HistoryEvent) {
				var entered []string
				for _, e := range events {
					if e.StateEnteredEventDetails != nil {
						entered = append(entered, aws0(e.StateEnteredEventDetails.Name))
					}
				}
				path := strings.Join(entered, ">")
				if path != "ValidateOrder>IsValid>CheckInventory>InStock>ProcessPayment>ReleaseInventory>OrderFailed" {
					t.Errorf("states %s", path)
				}
			}},
		{name: "out of stock", status: "FAILED", errName: "OutOfStock",
			input: `{"orderId":"o-3","items":[{"sku":"OUT-9","qty":1}],"total":10,"card":"visa"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exec, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: awsString(tt.input)})
			if err != nil {
				t.Fatal(err)
			}
			var d *sfn.DescribeExecutionOutput
			deadline := time.Now().Add(2 * time.Minute)
			for {
				// Waiting on workers in other processes: the API offers no
				// notification, so this polls, bounded in time.
				d, err = client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: exec.ExecutionArn})
				if err != nil {
					t.Fatal(err)
				}
				if d.Status != types.ExecutionStatusRunning || time.Now().After(deadline) {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if string(d.Status) != tt.status {
				t.Fatalf("status %s (%s: %s)", d.Status, aws0(d.Error), aws0(d.Cause))
			}
			if tt.errName != "" && aws0(d.Error) != tt.errName {
				t.Fatalf("error %s: %s", aws0(d.Error), aws0(d.Cause))
			}
			var out map[string]any
			if d.Output != nil {
				if err := json.Unmarshal([]byte(*d.Output), &out); err != nil {
					t.Fatal(err)
				}
			}
			hist, err := client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: exec.ExecutionArn, MaxResults: 1000})
			if err != nil {
				t.Fatal(err)
			}
			if tt.check != nil {
				tt.check(t, out, hist.Events)
			}
		})
	}
	_ = os.WriteFile(filepath.Join(dir, "stop"), nil, 0o600)
}

func awsString(s string) *string { return aws.String(s) }

func aws0(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func str(m map[string]any, k1, k2 string) string {
	inner, _ := m[k1].(map[string]any)
	s, _ := inner[k2].(string)
	return s
}
