package sqlscan

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
)

// corpus returns about size bytes of realistic DDL and DML: tables with
// constraints and defaults, indexes, triggers with CASE, inserts with quoted
// text, updates, deletes, joins, JSON operators and comments. The same size
// always gives the same text.
func corpus(size int) string {
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"users", "orders", "items", "accounts", "sessions", "events", "tags", "notes"}
	cols := []string{"id", "name", "email", "created_at", "status", "amount", "owner_id", "data", "title", "body"}
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	text := func() string {
		var b strings.Builder
		n := 3 + r.IntN(30)
		for i := 0; i < n; i++ {
			switch r.IntN(12) {
			case 0:
				b.WriteString("it''s ")
			case 1:
				b.WriteString("a; b ")
			case 2:
				b.WriteString("-- not a comment ")
			default:
				b.WriteString(pick(words))
				b.WriteByte(' ')
			}
		}
		return b.String()
	}
	var b strings.Builder
	for n := 0; b.Len() < size; n++ {
		t := fmt.Sprintf("%s_%d", pick(words), n)
		switch r.IntN(10) {
		case 0:
			fmt.Fprintf(&b, "-- Migration %d: create %s\nCREATE TABLE IF NOT EXISTS %q (\n", n, t, t)
			fmt.Fprintf(&b, "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n")
			for i := 0; i < 3+r.IntN(6); i++ {
				fmt.Fprintf(&b, "  %s_%d TEXT NOT NULL DEFAULT '%s' CHECK (length(%s_%d) < %d),\n", pick(cols), i, pick(words), pick(cols), i, 100+r.IntN(900))
			}
			fmt.Fprintf(&b, "  owner_id INTEGER REFERENCES [users] (id) ON DELETE CASCADE,\n  blob_col BLOB DEFAULT x'DEADBEEF',\n  `amount` REAL DEFAULT 0.0\n);\n")
		case 1:
			fmt.Fprintf(&b, "CREATE UNIQUE INDEX idx_%s ON %s (%s, %s) WHERE %s IS NOT NULL;\n", t, pick(words), pick(cols), pick(cols), pick(cols))
		case 2:
			fmt.Fprintf(&b, "CREATE TRIGGER trg_%s AFTER UPDATE OF status ON %s\nFOR EACH ROW WHEN old.status <> new.status\nBEGIN\n"+
				"  INSERT INTO audit (tbl, row_id, note) VALUES ('%s', new.id, CASE WHEN new.status = 'done' THEN 'closed' ELSE 'changed' END);\n"+
				"  UPDATE counters SET n = n + 1 WHERE name = '%s';\nEND;\n", t, pick(words), t, t)
		case 3, 4, 5:
			fmt.Fprintf(&b, "INSERT INTO %s (%s, %s, %s) VALUES", pick(words), pick(cols), pick(cols), pick(cols))
			for i := 0; i < 1+r.IntN(8); i++ {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, "\n  (%d, '%s', %d.%02d)", r.IntN(1_000_000), text(), r.IntN(1000), r.IntN(100))
			}
			b.WriteString(";\n")
		case 6:
			fmt.Fprintf(&b, "UPDATE %s SET %s = ?1, %s = :value, updated_at = unixepoch() WHERE id = ?2 AND %s <> 'x''y'; /* bump */\n", pick(words), pick(cols), pick(cols), pick(cols))
		case 7:
			fmt.Fprintf(&b, "DELETE FROM %s WHERE created_at < ? AND status IN ('a', 'b', 'c') LIMIT 100;\n", pick(words))
		default:
			fmt.Fprintf(&b, "SELECT u.id, u.\"name\", count(o.id) AS n, sum(o.amount) / 100.0 AS total, u.data ->> '$.tags[0]' AS tag\n"+
				"FROM users AS u LEFT JOIN %s AS o ON o.owner_id = u.id\nWHERE u.email LIKE '%%@example.com' AND o.status = @status\n"+
				"GROUP BY u.id HAVING n > %d ORDER BY total DESC LIMIT 50 OFFSET ?; -- report\n", pick(words), r.IntN(10))
		}
	}
	return b.String()
}

var (
	benchOnce   sync.Once
	benchCorpus string
)

func benchSource() string {
	benchOnce.Do(func() { benchCorpus = corpus(10 << 20) })
	return benchCorpus
}

func BenchmarkScan(b *testing.B) {
	src := benchSource()
	var s Scanner
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		s.Init(src, nil, 0)
		for {
			if _, tok, _ := s.Scan(); tok == EOF {
				break
			}
		}
		if s.ErrorCount != 0 {
			b.Fatalf("%d errors in the corpus", s.ErrorCount)
		}
	}
}

func BenchmarkSplit(b *testing.B) {
	src := benchSource()
	var sp Splitter
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		sp.Init(src, nil)
		n := 0
		for {
			if _, ok := sp.Next(); !ok {
				break
			}
			n++
		}
		if n == 0 || sp.ErrorCount() != 0 {
			b.Fatalf("%d statements, %d errors", n, sp.ErrorCount())
		}
	}
}

func BenchmarkParams(b *testing.B) {
	src := benchSource()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if NumParams(src) == 0 {
			b.Fatal("no parameters")
		}
	}
}

func TestCorpusIsClean(t *testing.T) {
	src := corpus(200_000)
	sts, err := Split(src)
	if err != nil {
		t.Fatal(err)
	}
	if len(sts) < 100 {
		t.Fatalf("only %d statements", len(sts))
	}
	for _, st := range sts {
		text := src[st.Start:st.End]
		if strings.HasPrefix(text, "CREATE TRIGGER") && !strings.HasSuffix(text, "END") {
			t.Fatalf("trigger split early: %q", text)
		}
	}
}
