package local

import (
	"context"
	"path/filepath"
	"testing"
)

// TestReplicaSnapshotAfterWALRestart covers a replica whose snapshot was
// taken while the WAL was fully checkpointed: the next write restarts the
// WAL, other connections can no longer open the snapshot, and the pin that
// holds it serves the replica's reads instead, still at the old state.
func TestReplicaSnapshotAfterWALRestart(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "d1.sqlite"), &Options{Replicas: 1, ManualReplication: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	exec := func(q string) {
		t.Helper()
		if _, err := db.Prepare(q).Run(ctx); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec("CREATE TABLE t (x)")
	exec("INSERT INTO t VALUES (1)")

	// Drop the replica's view, checkpoint the whole WAL, and take a new
	// view: its pin reads the database file alone.
	r := db.replicas.reps[0]
	r.mu.Lock()
	old := r.cur
	r.cur = nil
	r.mu.Unlock()
	r.release(old)
	if _, err := db.lockWriter(ctx); err != nil {
		t.Fatal(err)
	}
	err = db.writer.exec("PRAGMA wal_checkpoint(PASSIVE)")
	db.unlockWriter()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AdvanceReplica(ctx, 0); err != nil {
		t.Fatal(err)
	}
	exec("INSERT INTO t VALUES (2)") // restarts the WAL

	for i := range 3 {
		res, err := db.WithSession("").Prepare("SELECT count(*) FROM t").All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Rows[0][0]; got != int64(1) {
			t.Errorf("read %d: replica shows %v rows, want 1", i, got)
		}
		if p := res.Meta.ServedByPrimary; p == nil || *p {
			t.Errorf("read %d: served by the primary", i)
		}
	}
	if v := r.acquire(); !v.broken.Load() {
		t.Error("the snapshot still opens elsewhere: the test did not restart the WAL")
		r.release(v)
	} else {
		r.release(v)
	}
	if err := db.AdvanceReplicas(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := db.WithSession("").Prepare("SELECT count(*) FROM t").All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Rows[0][0]; got != int64(2) {
		t.Errorf("after advancing, replica shows %v rows, want 2", got)
	}
}
