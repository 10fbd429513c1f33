// Package fidelity holds the differential tests that run the same scenarios
// against the local backend and against workerd's local D1 through the
// bridge, and compare results, value types, meta, errors, batches and
// refused SQL. It has no code of its own: see fidelity_test.go and
// scenarios_test.go. Run it with
//
//	go test ./internal/fidelity -v -run TestFidelity
package fidelity
