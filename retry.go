package d1

import (
	"context"
	"math/rand/v2"
	"strings"
	"time"
)

// RetryPolicy retries calls that fail with an error Cloudflare documents as
// transient ([IsRetryable]), with exponential backoff and full jitter. Only
// read-only statements (SELECT, EXPLAIN, VALUES, and WITH ... SELECT) are
// retried, and batches made only of them, unless the context is marked with
// [MarkIdempotent]: a write that may have been applied must not run twice by
// accident.
type RetryPolicy struct {
	// MaxAttempts is the most attempts, the first included. Zero means 3.
	MaxAttempts int
	// BaseDelay is the backoff before the second attempt, doubled for each
	// later one, before jitter. Zero means 100ms.
	BaseDelay time.Duration
	// MaxDelay caps one backoff. Zero means 2s.
	MaxDelay time.Duration
	// MaxElapsed bounds the time from the first attempt until a retry may
	// start; zero means no bound beyond the context's deadline.
	MaxElapsed time.Duration
}

func (p *RetryPolicy) attempts() int {
	if p.MaxAttempts <= 0 {
		return 3
	}
	return p.MaxAttempts
}

// backoff returns the full-jitter delay before attempt n+1 (n ≥ 1).
func (p *RetryPolicy) backoff(n int) time.Duration {
	base, ceiling := p.BaseDelay, p.MaxDelay
	if base <= 0 {
		base = 100 * time.Millisecond
	}
	if ceiling <= 0 {
		ceiling = 2 * time.Second
	}
	d := ceiling
	if n < 30 && base<<(n-1) < ceiling {
		d = base << (n - 1)
	}
	return rand.N(d + 1)
}

type idempotentKey struct{}

// MarkIdempotent returns a context under which a [RetryPolicy] may retry
// writes too: use it for statements that are safe to apply twice, such as
// an upsert that sets fixed values.
func MarkIdempotent(ctx context.Context) context.Context {
	return context.WithValue(ctx, idempotentKey{}, true)
}

func isIdempotent(ctx context.Context) bool {
	v, _ := ctx.Value(idempotentKey{}).(bool)
	return v
}

// retry runs do until it succeeds, fails with an error that is not
// transient, or the policy gives up.
func (p *RetryPolicy) retry(ctx context.Context, call *Call, do func(context.Context, *Call) error) error {
	retryable := isIdempotent(ctx)
	if !retryable {
		retryable = true
		for _, st := range call.Statements {
			if !readOnly(st.SQL) {
				retryable = false
				break
			}
		}
	}
	start := time.Now()
	for attempt := 1; ; attempt++ {
		call.Attempt = attempt
		err := do(ctx, call)
		if err == nil || !retryable || attempt >= p.attempts() || !IsRetryable(err) || ctx.Err() != nil {
			return err
		}
		wait := p.backoff(attempt)
		if p.MaxElapsed > 0 && time.Since(start)+wait > p.MaxElapsed {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
	}
}

// readOnly reports whether query is a statement D1 itself would retry:
// one that starts with SELECT, EXPLAIN or VALUES, or with WITH and has no
// INSERT, UPDATE, DELETE or REPLACE. It errs on the side of false.
func readOnly(query string) bool {
	w := strings.ToUpper(firstWord(query))
	switch w {
	case "SELECT", "EXPLAIN", "VALUES":
		return !strings.Contains(query, ";") || strings.TrimSpace(query[strings.Index(query, ";")+1:]) == ""
	case "WITH":
		u := strings.ToUpper(query)
		for _, kw := range []string{"INSERT", "UPDATE", "DELETE", "REPLACE", ";"} {
			if strings.Contains(u, kw) {
				return false
			}
		}
		return true
	}
	return false
}

// firstWord returns the first word of query after spaces and comments.
func firstWord(q string) string {
	for {
		q = strings.TrimLeft(q, " \t\r\n\f(")
		switch {
		case strings.HasPrefix(q, "--"):
			i := strings.IndexByte(q, '\n')
			if i < 0 {
				return ""
			}
			q = q[i+1:]
		case strings.HasPrefix(q, "/*"):
			i := strings.Index(q[2:], "*/")
			if i < 0 {
				return ""
			}
			q = q[i+4:]
		default:
			end := strings.IndexFunc(q, func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_')
			})
			if end < 0 {
				return q
			}
			return q[:end]
		}
	}
}
