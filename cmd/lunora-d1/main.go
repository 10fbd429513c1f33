// Command lunora-d1 applies migrations to Cloudflare D1 databases and runs
// queries on them: the embedded local database (the default), D1 through the
// bridge Worker (--bridge URL), or D1 through Cloudflare's REST API
// (--remote).
//
// Install it with
//
//	go install github.com/lunora-go/d1/cmd/lunora-d1@latest
//
// and run "lunora-d1 help" for the commands, "lunora-d1 help COMMAND" for
// one command with examples. Every command is a thin layer over the Go
// packages of github.com/lunora-go/d1 (migrate, schema, local, bridge,
// rest): whatever it does, a Go program can do.
//
// Exit codes:
//
//	0    success
//	1    the command failed: D1 refused a statement, a migration failed,
//	     a file or the database could not be read or reached
//	2    usage: an unknown command or flag, a missing argument, or missing
//	     settings (credentials, a database to choose)
//	3    migrations are invalid, or an applied migration has changed (drift)
//	4    migrations are pending (migrate verify --fail-pending)
//	130  interrupted
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes; see the package documentation.
const (
	exitOK          = 0
	exitError       = 1
	exitUsage       = 2
	exitDrift       = 3
	exitPending     = 4
	exitInterrupted = 130
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	cwd, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(os.Stderr, "lunora-d1:", err)
		os.Exit(exitError)
	}
	a := &app{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, cwd: cwd}
	code := a.main(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// app is one run of the command: its streams, environment and flags.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	cwd            string

	common  commonFlags
	secrets []string // never printed: replaced in error messages
}

// codeError is an error with the exit code it calls for.
type codeError struct {
	code int
	err  error
}

func (e *codeError) Error() string { return e.err.Error() }
func (e *codeError) Unwrap() error { return e.err }

// usageErrorf is an error of the command line (exit code 2).
func usageErrorf(format string, args ...any) error {
	return &codeError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// withCode attaches an exit code to err.
func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &codeError{code: code, err: err}
}

// main runs the command line args and returns the exit code.
func (a *app) main(ctx context.Context, args []string) int {
	err := a.dispatch(ctx, args)
	if err == nil {
		return exitOK
	}
	code := exitError
	var ce *codeError
	if errors.As(err, &ce) {
		code = ce.code
	}
	if errors.Is(err, errHelp) {
		return exitOK
	}
	switch {
	case ctx.Err() != nil && errors.Is(err, context.Canceled):
		code = exitInterrupted
		err = fmt.Errorf("interrupted: %w", err)
	case errors.Is(err, context.DeadlineExceeded) && a.common.timeout > 0:
		err = fmt.Errorf("gave up after --timeout %v: %w", a.common.timeout, err)
	}
	a.printError(err, code)
	return code
}
