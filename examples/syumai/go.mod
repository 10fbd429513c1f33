module github.com/lunora-go/d1/examples/syumai

go 1.26.0

require (
	github.com/lunora-go/d1 v0.0.0
	github.com/syumai/workers v0.31.0
)

replace github.com/lunora-go/d1 => ../..
