// Command stepwise runs AWS Step Functions workflows anywhere.
//
//	stepwise run DEFINITION.json --input '{…}'   run one execution in-process
//	stepwise validate DEFINITION.json           list every problem in a definition
//
// The command is thin: the logic lives in packages asl, engine and local.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// Exit codes.
const (
	exitOK       = 0
	exitFailed   = 1 // the execution did not succeed, or the definition has errors
	exitUsage    = 2 // bad arguments, unreadable files, invalid definitions for run
	exitInternal = 3
)

// exitError carries an exit code through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Main runs the command line and returns the process exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := &cobra.Command{
		Use:           "stepwise",
		Short:         "Run AWS Step Functions workflows anywhere",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newRunCommand(), newValidateCommand(), newServeCommand())
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "stepwise:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "stepwise:", err)
	return exitUsage
}
