package d1

import (
	"context"
	"log/slog"
	"time"
)

// Op names what a [Call] does.
type Op string

// The operations a [Call] can be.
const (
	OpRun   Op = "run"
	OpAll   Op = "all"
	OpFirst Op = "first"
	OpRaw   Op = "raw"
	OpBatch Op = "batch"
)

// Statement is one statement of a [Call]: its SQL and the normalized values
// bound to it.
type Statement struct {
	SQL  string
	Args []any
}

// Call is one request to the backend as hooks see it: a single statement, or
// every statement of a batch.
type Call struct {
	Op         Op
	Statements []Statement
	// Attempt counts from 1; it is above 1 when a [RetryPolicy] retries.
	Attempt int
	// Results holds the results once the call has succeeded, one per
	// statement.
	Results []*Result

	exec func(context.Context, *Call) error
}

// Handler performs a [Call].
type Handler func(ctx context.Context, call *Call) error

// Hook wraps the handler of every call a client makes, in the manner of
// go-redis hooks: it receives next and returns a handler that does its work
// around next. Hooks see each attempt of a retried call.
//
//	func timing(next d1.Handler) d1.Handler {
//		return func(ctx context.Context, call *d1.Call) error {
//			start := time.Now()
//			err := next(ctx, call)
//			metrics.Observe(call.Op, time.Since(start), err)
//			return err
//		}
//	}
type Hook func(next Handler) Handler

// SlogOptions configures [SlogHook].
type SlogOptions struct {
	// Level is the level of successful calls (the zero value is
	// slog.LevelInfo); failed calls log at slog.LevelError.
	Level slog.Level
	// LogArgs logs bound values. Leave it off unless the values are known
	// to hold no secrets or personal data.
	LogArgs bool
}

// SlogHook returns a [Hook] that logs every call to logger with its SQL,
// duration, rows read and written, and error. Bound values are not logged
// unless opts.LogArgs is set.
func SlogHook(logger *slog.Logger, opts SlogOptions) Hook {
	return func(next Handler) Handler {
		return func(ctx context.Context, call *Call) error {
			start := time.Now()
			err := next(ctx, call)
			level := opts.Level
			if err != nil {
				level = slog.LevelError
			}
			if !logger.Enabled(ctx, level) {
				return err
			}
			attrs := make([]slog.Attr, 0, 8)
			attrs = append(attrs, slog.String("op", string(call.Op)))
			for i, st := range call.Statements {
				attrs = append(attrs, slog.String("sql", st.SQL))
				if opts.LogArgs && len(st.Args) > 0 {
					attrs = append(attrs, slog.Any("args", st.Args))
				}
				if i == 0 && len(call.Statements) > 1 {
					attrs = append(attrs, slog.Int("statements", len(call.Statements)))
					break
				}
			}
			attrs = append(attrs, slog.Duration("duration", time.Since(start)))
			var read, written int64
			for _, r := range call.Results {
				if r != nil {
					read += r.Meta.RowsRead
					written += r.Meta.RowsWritten
				}
			}
			attrs = append(attrs, slog.Int64("rows_read", read), slog.Int64("rows_written", written))
			if call.Attempt > 1 {
				attrs = append(attrs, slog.Int("attempt", call.Attempt))
			}
			if err != nil {
				attrs = append(attrs, slog.String("error", err.Error()))
			}
			logger.LogAttrs(ctx, level, "d1 query", attrs...)
			return err
		}
	}
}
