// Package stmtcache is the statement cache of a d1 client: a bounded map from
// SQL text to a prepared statement, least recently used first out.
package stmtcache

import (
	"sync"
	"sync/atomic"
)

// LRU is a least-recently-used cache keyed by SQL text. It is safe for
// concurrent use. The zero value is not usable; call [New].
type LRU[V any] struct {
	mu   sync.Mutex
	cap  int
	m    map[string]*entry[V]
	head entry[V] // sentinel: head.next is the most recent, head.prev the least
	// front is head.next, or nil when the cache is empty, for Get to find
	// the most recent entry without the lock: a hit on it changes nothing.
	front atomic.Pointer[entry[V]]
}

type entry[V any] struct {
	key        string
	v          V
	prev, next *entry[V]
}

// New returns a cache holding at most capacity entries. A capacity of 0 or
// less gives a cache that holds nothing.
func New[V any](capacity int) *LRU[V] {
	c := &LRU[V]{cap: capacity, m: make(map[string]*entry[V])}
	c.head.next, c.head.prev = &c.head, &c.head
	return c
}

// Cap returns the capacity.
func (c *LRU[V]) Cap() int { return c.cap }

// Len returns the number of entries.
func (c *LRU[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// Get returns the value for key and makes it the most recent entry.
func (c *LRU[V]) Get(key string) (V, bool) {
	if e := c.front.Load(); e != nil && e.key == key {
		return e.v, true
	}
	c.mu.Lock()
	e, ok := c.m[key]
	if ok {
		c.unlink(e)
		c.pushFront(e)
	}
	c.mu.Unlock()
	if !ok {
		var zero V
		return zero, false
	}
	return e.v, true
}

// Put adds or replaces the value for key, makes it the most recent entry and,
// when the cache is over capacity, evicts the least recent one. It returns the
// value the cache holds for key, which is v unless another goroutine put one
// first.
func (c *LRU[V]) Put(key string, v V) V {
	if c.cap <= 0 {
		return v
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[key]; ok {
		c.unlink(e)
		c.pushFront(e)
		return e.v
	}
	e := &entry[V]{key: key, v: v}
	c.m[key] = e
	c.pushFront(e)
	if len(c.m) > c.cap {
		last := c.head.prev
		c.unlink(last)
		delete(c.m, last.key)
	}
	return v
}

// Remove deletes key from the cache.
func (c *LRU[V]) Remove(key string) {
	c.mu.Lock()
	if e, ok := c.m[key]; ok {
		c.unlink(e)
		delete(c.m, key)
		c.setFront()
	}
	c.mu.Unlock()
}

// Keys returns the keys from most to least recent.
func (c *LRU[V]) Keys() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys := make([]string, 0, len(c.m))
	for e := c.head.next; e != &c.head; e = e.next {
		keys = append(keys, e.key)
	}
	return keys
}

func (c *LRU[V]) unlink(e *entry[V]) {
	e.prev.next = e.next
	e.next.prev = e.prev
}

func (c *LRU[V]) pushFront(e *entry[V]) {
	e.next = c.head.next
	e.prev = &c.head
	c.head.next.prev = e
	c.head.next = e
	c.front.Store(e)
}

// setFront publishes head.next as the front after an entry left the list.
func (c *LRU[V]) setFront() {
	if e := c.head.next; e != &c.head {
		c.front.Store(e)
	} else {
		c.front.Store(nil)
	}
}
