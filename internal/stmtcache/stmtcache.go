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
	n    int                  // entries
	m    map[string]*entry[V] // the entries by key, once there are more than smallLen
	head entry[V]             // sentinel: head.next is the most recent, head.prev the least
	// front is head.next, or nil when the cache is empty, for Get to find
	// the most recent entry without the lock: a hit on it changes nothing.
	front atomic.Pointer[entry[V]]
}

type entry[V any] struct {
	key        string
	v          V
	prev, next *entry[V]
}

// smallLen is how many entries a cache finds by walking its list before it
// makes a map: a session that runs a few statements, as one per request
// does, then costs no map.
const smallLen = 8

// New returns a cache holding at most capacity entries. A capacity of 0 or
// less gives a cache that holds nothing.
func New[V any](capacity int) *LRU[V] {
	c := &LRU[V]{cap: capacity}
	c.head.next, c.head.prev = &c.head, &c.head
	return c
}

// find returns the entry for key, or nil; c.mu is held.
func (c *LRU[V]) find(key string) *entry[V] {
	if c.m != nil {
		return c.m[key]
	}
	for e := c.head.next; e != &c.head; e = e.next {
		if e.key == key {
			return e
		}
	}
	return nil
}

// Cap returns the capacity.
func (c *LRU[V]) Cap() int { return c.cap }

// Len returns the number of entries.
func (c *LRU[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// Get returns the value for key and makes it the most recent entry.
func (c *LRU[V]) Get(key string) (V, bool) {
	if e := c.front.Load(); e != nil && e.key == key {
		return e.v, true
	}
	c.mu.Lock()
	e := c.find(key)
	ok := e != nil
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
	if e := c.find(key); e != nil {
		c.unlink(e)
		c.pushFront(e)
		return e.v
	}
	e := &entry[V]{key: key, v: v}
	c.pushFront(e)
	c.n++
	if c.m == nil && c.n > smallLen {
		c.m = make(map[string]*entry[V], c.n)
		for x := c.head.next; x != &c.head; x = x.next {
			c.m[x.key] = x
		}
	} else if c.m != nil {
		c.m[key] = e
	}
	if c.n > c.cap {
		last := c.head.prev
		c.unlink(last)
		c.n--
		if c.m != nil {
			delete(c.m, last.key)
		}
	}
	return v
}

// Keys returns the keys from most to least recent.
func (c *LRU[V]) Keys() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	keys := make([]string, 0, c.n)
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
