//go:build js && wasm

// Command probe is run inside workerd by wasmexec's tests: it reports its
// arguments, environment and D1 binding, and exits with the code given as
// its first argument.
package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/lunora-go/d1/workers"
)

func main() {
	fmt.Println("args:", strings.Join(os.Args[1:], ","))
	fmt.Fprintln(os.Stderr, "env:", os.Getenv("WASMEXEC_PROBE"))
	res, err := workers.New(workers.Binding("DB")).Prepare("SELECT 40 + 2 AS n").All(context.Background())
	if err != nil {
		fmt.Println("d1:", err)
	} else {
		fmt.Println("d1:", res.Rows[0][0])
	}
	fmt.Print(strings.Repeat("x", 100000) + "\n")
	code, _ := strconv.Atoi(os.Args[1])
	os.Exit(code)
}
