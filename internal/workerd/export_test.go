package workerd

// ProcessGroup returns the id of the server's process group.
func ProcessGroup(s *Server) int { return s.cmd.Process.Pid }
