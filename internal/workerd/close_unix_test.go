//go:build unix

package workerd_test

import (
	"context"
	"errors"
	"net/http"
	"syscall"
	"testing"

	"github.com/lunora-go/d1/internal/workerd"
)

func TestPersistDirAndClose(t *testing.T) {
	cfg := echoConfig()
	cfg.PersistDir = t.TempDir()
	srv, err := workerd.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ N int }
	getJSON(t, srv.URL()+"d1?db=DB_0", &got)
	if got.N != 1 {
		t.Errorf("count = %d, want 1 in a fresh persisted database", got.N)
	}
	pid := workerdPID(t, srv)
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(-pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("process group %d still exists after Close (kill 0: %v)", pid, err)
	}
	if _, err := http.Get(srv.URL()); err == nil {
		t.Errorf("server still answers after Close")
	}
	srv.Close() // idempotent
}

// workerdPID returns the id of the server's process group, which holds node
// and workerd.
func workerdPID(t *testing.T, srv *workerd.Server) int {
	t.Helper()
	pid := workerd.ProcessGroup(srv)
	if pid <= 0 {
		t.Fatal("no process group")
	}
	if err := syscall.Kill(-pid, 0); err != nil {
		t.Fatalf("process group %d: %v", pid, err)
	}
	return pid
}
