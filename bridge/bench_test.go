package bridge_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/lunora-go/d1"
	"github.com/lunora-go/d1/bridge"
)

const (
	benchRows  = 1000
	pointQuery = "SELECT id, name, score FROM bench WHERE id = ?"
)

// benchSetup returns a database with benchRows rows, and its base URL.
func benchSetup(b *testing.B) (*d1.Client, string) {
	b.Helper()
	base := srv.DatabaseURL(b)
	client := d1.New(openURL(b, base, nil))
	ctx := context.Background()
	if _, err := client.Run(ctx, "CREATE TABLE bench (id INTEGER PRIMARY KEY, name TEXT, score REAL)"); err != nil {
		b.Fatal(err)
	}
	ins, _ := client.Prepare("INSERT INTO bench (id, name, score) VALUES (?, ?, ?)")
	stmts := make([]*d1.Stmt, 0, benchRows)
	for i := 1; i <= benchRows; i++ {
		stmts = append(stmts, ins.Bind(i, fmt.Sprintf("name-%d", i), float64(i)/3))
	}
	if _, err := client.Batch(ctx, stmts...); err != nil {
		b.Fatal(err)
	}
	return client, base
}

// openURL opens the bridge at base with the test server's token.
func openURL(tb testing.TB, base string, hc *http.Client) *bridge.DB {
	tb.Helper()
	db, err := bridge.Open(base, &bridge.Options{Token: srv.Token(), HTTPClient: hc})
	if err != nil {
		tb.Fatal(err)
	}
	return db
}

// BenchmarkPointSelect compares a point select through the bridge with the
// same D1 call made by a plain route of the same Worker, in the same
// workerd, fetched by a plain Go HTTP client that decodes the JSON row.
func BenchmarkPointSelect(b *testing.B) {
	client, base := benchSetup(b)
	ctx := context.Background()

	plain := newPlain(base)
	// Warm both paths up (V8 compiles hot code after a while) so that
	// neither pays for it inside its timing.
	for i := range 300 {
		if _, err := client.First(ctx, pointQuery, i%benchRows+1); err != nil {
			b.Fatal(err)
		}
		plain.get(b, i%benchRows+1)
	}

	b.Run("bridge", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			row, err := client.First(ctx, pointQuery, i%benchRows+1)
			if err != nil {
				b.Fatal(err)
			}
			if len(row.Values) != 3 {
				b.Fatalf("row = %v", row)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "q/s")
	})

	b.Run("plain", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			plain.get(b, i%benchRows+1)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "q/s")
	})

	// Both in turn, timed separately, so that the ratio holds on a busy
	// machine: bridge-q/s over plain-q/s is the figure to watch (target
	// at least 0.8).
	b.Run("interleaved", func(b *testing.B) {
		var tb, tp time.Duration
		i := 0
		for b.Loop() {
			i++
			t0 := time.Now()
			if _, err := client.First(ctx, pointQuery, i%benchRows+1); err != nil {
				b.Fatal(err)
			}
			t1 := time.Now()
			plain.get(b, i%benchRows+1)
			tb += t1.Sub(t0)
			tp += time.Since(t1)
		}
		b.ReportMetric(float64(b.N)/tb.Seconds(), "bridge-q/s")
		b.ReportMetric(float64(b.N)/tp.Seconds(), "plain-q/s")
		b.ReportMetric(tp.Seconds()/tb.Seconds(), "ratio")
	})
}

// plainClient fetches the Worker's plain route: the same D1 call as the
// bridge makes, with a plain Go HTTP client that decodes the JSON row.
type plainClient struct {
	hc     *http.Client
	prefix string
}

func newPlain(base string) *plainClient {
	return &plainClient{
		hc:     &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()},
		prefix: base + "/plain?sql=" + url.QueryEscape(pointQuery) + "&p=",
	}
}

func (p *plainClient) get(b *testing.B, id int) {
	resp, err := p.hc.Get(p.prefix + strconv.Itoa(id))
	if err != nil {
		b.Fatal(err)
	}
	var row map[string]any
	err = json.NewDecoder(resp.Body).Decode(&row)
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || len(row) != 3 {
		b.Fatalf("plain: %s %v %v", resp.Status, row, err)
	}
}

// BenchmarkBatch50 runs a 50-statement batch and reports its HTTP round
// trips.
func BenchmarkBatch50(b *testing.B) {
	c := &counter{}
	_, base := benchSetup(b)
	db := openURL(b, base, &http.Client{Transport: c})
	ps := db.Prepare(pointQuery)
	stmts := make([]d1.PreparedStatement, 50)
	for i := range stmts {
		stmts[i], _ = ps.Bind(i + 1)
	}
	ctx := context.Background()
	c.n.Store(0)
	for b.Loop() {
		if _, err := db.Batch(ctx, stmts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(c.n.Load())/float64(b.N), "roundtrips/op")
}
