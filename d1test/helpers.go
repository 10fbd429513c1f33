package d1test

import (
	"errors"

	"github.com/lunora-go/d1"
)

// AsError returns the *d1.Error in err's chain.
func AsError(err error) (*d1.Error, bool) {
	var e *d1.Error
	ok := errors.As(err, &e)
	return e, ok
}
