package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/stepwise-run/stepwise/asl"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/integration"
	"github.com/stepwise-run/stepwise/integration/mock"
	"github.com/stepwise-run/stepwise/integration/nested"
	"github.com/stepwise-run/stepwise/local"
	"github.com/stepwise-run/stepwise/value"
)

func newRunCommand() *cobra.Command {
	var (
		input, inputFile string
		history, fast    bool
		tasks            []string
		machines         []string
		name             string
		config           string
		mockConfig       string
		testCase         string
	)
	cmd := &cobra.Command{
		Use:   "run DEFINITION.json",
		Short: "Run one execution in-process and print its result as JSON",
		Long: `Run one execution of a state machine in-process and print its result as one
JSON object: {"status": …, "output": …} or {"status": …, "error": …, "cause": …};
--history adds "events", the execution history as GetExecutionHistory returns it.

Task states run local commands given with --task NAME=COMMAND, where NAME is the
state's name or its Resource; other tasks go to the integrations (HTTP tasks,
Lambda) configured with --config. The command reads the task input as JSON on stdin
and prints the result as JSON on stdout; a non-zero exit fails the task, and the
command names the error by printing {"Error": "Name", "Cause": "…"} as its last
line (otherwise the error is States.TaskFailed with stderr as the cause).

Task states that start other state machines (arn:aws:states:::states:startExecution,
.sync and .sync:2) run them in-process, as child executions with the same
options, given with --machine NAME=FILE: a StateMachineArn parameter selects
NAME when it is NAME, or a state machine ARN whose name is NAME (a version or
alias suffix, "…:stateMachine:NAME:live", is ignored), or ends in ":NAME".
Children may start children, at most 10 deep. The request-response form runs
the child to its end before the task returns the StartExecution response; .sync
and .sync:2 return the child's description (and fail with States.TaskFailed if
the child did not succeed). An unknown NAME fails the task with
StepFunctions.StateMachineDoesNotExistException, as stepwise serve does.
.waitForTaskToken fails: nothing can send a token back to stepwise run. Only
the parent's events are in --history.

Exit status: 0 when the execution succeeded, 1 when it failed, timed out or was
aborted, 2 for bad arguments or an invalid definition.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			text, err := os.ReadFile(args[0])
			if err != nil {
				return &exitError{exitUsage, err}
			}
			if inputFile != "" {
				b, err := readInput(cmd.InOrStdin(), inputFile)
				if err != nil {
					return &exitError{exitUsage, err}
				}
				input = string(b)
			}
			if _, err := value.ParseString(input); err != nil {
				return &exitError{exitUsage, fmt.Errorf("--input is not JSON: %w", err)}
			}
			m, err := compile(cmd.ErrOrStderr(), args[0], text)
			if err != nil {
				return err
			}
			handlers := map[string]local.Handler{}
			for _, t := range tasks {
				k, command, ok := strings.Cut(t, "=")
				if !ok || k == "" || command == "" {
					return &exitError{exitUsage, fmt.Errorf("--task %q: want NAME=COMMAND", t)}
				}
				handlers[k] = local.Command{Shell: command}
			}
			opts := local.Options{Handlers: handlers, Fast: fast}
			var icfg *integration.Config
			if config != "" {
				if icfg, err = integration.LoadConfig(config); err != nil {
					return &exitError{exitUsage, err}
				}
			}
			router, err := integration.New(icfg, integration.Options{})
			if err != nil {
				return &exitError{exitUsage, err}
			}
			children := &local.Nested{Machines: map[string]*engine.Machine{}}
			for _, mf := range machines {
				k, file, ok := strings.Cut(mf, "=")
				if !ok || k == "" || file == "" {
					return &exitError{exitUsage, fmt.Errorf("--machine %q: want NAME=FILE", mf)}
				}
				if children.Machines[k], err = compileFile(cmd.ErrOrStderr(), file); err != nil {
					return err
				}
			}
			for _, res := range nested.Resources {
				router.Handle(res, children)
			}
			opts.Fallback = router
			if mockConfig != "" {
				mc, err := mock.Load(mockConfig)
				if err != nil {
					return &exitError{exitUsage, err}
				}
				opts.Fallback = mock.Wrap(mc, router)
				opts.Meta.TestCase = testCase
			}
			opts.Meta.StateMachineName = name
			res, err := local.Run(cmd.Context(), m, input, opts)
			if err != nil {
				return &exitError{exitInternal, err}
			}
			out := local.MarshalResult(res, history)
			fmt.Fprintln(cmd.OutOrStdout(), string(out))
			if res.Status != engine.StatusSucceeded {
				return &exitError{code: exitFailed}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&input, "input", "{}", "execution input (JSON)")
	cmd.Flags().StringVar(&inputFile, "input-file", "", "read the execution input from a file (- for stdin)")
	cmd.Flags().BoolVar(&history, "history", false, "include the execution history in the result")
	cmd.Flags().BoolVar(&fast, "fast", false, "virtual time: Wait states, retry back-offs and timeouts complete at once")
	cmd.Flags().StringArrayVar(&tasks, "task", nil, "NAME=COMMAND: run COMMAND for the Task state or resource NAME (repeatable)")
	cmd.Flags().StringArrayVar(&machines, "machine", nil, "NAME=FILE: the state machine NAME that states:startExecution tasks start, defined in FILE (repeatable)")
	cmd.Flags().StringVar(&name, "name", "local", "state machine name used in ARNs and the context object")
	cmd.Flags().StringVar(&config, "config", "", "integration config file (HTTP connections, Lambda endpoints); see package integration")
	cmd.Flags().StringVar(&mockConfig, "mock-config", os.Getenv("SFN_MOCK_CONFIG"), "AWS Step Functions Local mock configuration (default $SFN_MOCK_CONFIG)")
	cmd.Flags().StringVar(&testCase, "test-case", "", "mock test case to run under (with --mock-config); --name must match the mock's state machine name")
	return cmd
}

// compileFile reads, checks and compiles a definition; problems are
// printed to stderr and returned as usage errors.
func compileFile(stderr io.Writer, file string) (*engine.Machine, error) {
	text, err := os.ReadFile(file)
	if err != nil {
		return nil, &exitError{exitUsage, err}
	}
	return compile(stderr, file, text)
}

func compile(stderr io.Writer, file string, text []byte) (*engine.Machine, error) {
	def, diags := asl.Check(text, asl.ValidateOptions{})
	if errs := errorsOnly(diags); len(errs) > 0 {
		printDiagnostics(stderr, file, errs)
		return nil, &exitError{exitUsage, fmt.Errorf("%s: invalid definition", file)}
	}
	m, err := engine.Compile(def)
	if err != nil {
		return nil, &exitError{exitUsage, err}
	}
	return m, nil
}

func readInput(stdin io.Reader, path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(stdin)
	}
	return os.ReadFile(path)
}

func errorsOnly(diags []asl.Diagnostic) []asl.Diagnostic {
	var out []asl.Diagnostic
	for _, d := range diags {
		if d.Severity != "WARNING" {
			out = append(out, d)
		}
	}
	return out
}

func printDiagnostics(w io.Writer, file string, diags []asl.Diagnostic) {
	for _, d := range diags {
		sev := d.Severity
		if sev == "" {
			sev = "ERROR"
		}
		fmt.Fprintf(w, "%s: %s %s at %s: %s\n", file, sev, d.Code, d.Location, d.Message)
	}
}

func newValidateCommand() *cobra.Command {
	var typ string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "validate DEFINITION.json",
		Short: "Check a definition and print every problem with its JSON location",
		Long: `Check a state machine definition against the States Language rules and AWS's
validator, and print every problem with its JSON pointer location. --json prints
the result as ValidateStateMachineDefinition returns it.

Exit status: 0 when the definition is valid, 1 when it has errors, 2 when the
file cannot be read.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			text, err := os.ReadFile(args[0])
			if err != nil {
				return &exitError{exitUsage, err}
			}
			_, diags := asl.Check(text, asl.ValidateOptions{Type: typ})
			errs := errorsOnly(diags)
			if asJSON {
				fmt.Fprintln(cmd.OutOrStdout(), string(validationJSON(diags, len(errs) == 0)))
			} else if len(diags) == 0 {
				fmt.Fprintf(cmd.OutOrStdout(), "%s: OK\n", args[0])
			} else {
				printDiagnostics(cmd.OutOrStdout(), args[0], diags)
			}
			if len(errs) > 0 {
				return &exitError{code: exitFailed}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&typ, "type", "STANDARD", "state machine type: STANDARD or EXPRESS")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the ValidateStateMachineDefinition response as JSON")
	return cmd
}

func validationJSON(diags []asl.Diagnostic, ok bool) []byte {
	list := make([]any, 0, len(diags))
	for _, d := range diags {
		o := value.NewObject(4)
		o.Set("severity", d.Severity)
		o.Set("code", d.Code)
		o.Set("message", d.Message)
		o.Set("location", d.Location)
		list = append(list, o)
	}
	res := value.NewObject(3)
	if ok {
		res.Set("result", "OK")
	} else {
		res.Set("result", "FAIL")
	}
	res.Set("diagnostics", list)
	res.Set("truncated", false)
	return value.Marshal(res)
}
