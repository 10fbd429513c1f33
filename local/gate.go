package local

import (
	"context"
	"sync"
)

// gate is a readers-writer lock whose waits can be cancelled. Readers share
// it; a writer excludes readers and, once it waits, holds new readers back.
// Writers are already serialized by the writer lock, so at most one writer
// uses the gate at a time.
type gate struct {
	mu      sync.Mutex
	readers int
	writer  bool          // a writer holds the gate or waits for it
	changed chan struct{} // closed when readers or writer change
}

func newGate() *gate { return &gate{changed: make(chan struct{})} }

// wait releases g.mu until the gate changes, ctx is done or closing is
// closed, and takes g.mu again.
func (g *gate) wait(ctx context.Context, closing <-chan struct{}) error {
	ch := g.changed
	g.mu.Unlock()
	var err error
	select {
	case <-ch:
	case <-ctx.Done():
		err = ctx.Err()
	case <-closing:
		err = ErrClosed
	}
	g.mu.Lock()
	return err
}

// broadcast wakes every waiter; g.mu is held.
func (g *gate) broadcast() {
	close(g.changed)
	g.changed = make(chan struct{})
}

func (g *gate) rlock(ctx context.Context, closing <-chan struct{}) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	for g.writer {
		if err := g.wait(ctx, closing); err != nil {
			return err
		}
	}
	g.readers++
	return nil
}

func (g *gate) runlock() {
	g.mu.Lock()
	g.readers--
	if g.readers == 0 && g.writer {
		g.broadcast()
	}
	g.mu.Unlock()
}

func (g *gate) lock(ctx context.Context, closing <-chan struct{}) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.writer = true
	for g.readers > 0 {
		if err := g.wait(ctx, closing); err != nil {
			g.writer = false
			g.broadcast()
			return err
		}
	}
	return nil
}

func (g *gate) unlock() {
	g.mu.Lock()
	g.writer = false
	g.broadcast()
	g.mu.Unlock()
}
