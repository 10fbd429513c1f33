//go:build !unix

package workerd

import "os/exec"

func setProcessGroup(*exec.Cmd) {}

// signalGroup stops the runner only: without process groups, workerd is
// stopped by the runner when its stdin closes.
func signalGroup(cmd *exec.Cmd, kill bool) {
	if kill && cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}
