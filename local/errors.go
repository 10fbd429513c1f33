package local

import (
	"context"
	"errors"
	"fmt"

	"github.com/lunora-go/d1"
	"modernc.org/libc"
	lib "modernc.org/sqlite/lib"
	"zombiezen.com/go/sqlite"
)

// ErrClosed is returned by queries on a [DB] after [DB.Close].
var ErrClosed = errors.New("local: database is closed")

// D1's messages for conditions it checks itself, before or around SQLite.
const (
	msgNoStatements   = "No SQL statements detected."
	msgNoStatement    = "SQL code did not contain a statement."
	msgWrongBindings  = "Wrong number of parameter bindings for SQL query."
	msgMultiParams    = "When executing multiple SQL statements in a single call, only the last statement can have parameters."
	msgTransaction    = "To execute a transaction, please use the state.storage.transaction() or state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT statements. The JavaScript API is safer because it will automatically roll back on exceptions, and because it interacts correctly with Durable Objects' automatic atomic write coalescing."
	msgAuthFunction   = "not authorized to use function: "
	msgNoSuchFunction = "no such function: "
)

// d1Messages maps messages of this SQLite version to the words of the
// SQLite version D1 runs, where they differ.
var d1Messages = map[string]string{
	"triggers nested too deep": "too many levels of trigger recursion",
}

// d1Error returns a D1_ERROR with D1's own text and no SQLite codes.
func d1Error(msg string) *d1.Error {
	return &d1.Error{Code: d1.CodeError, Message: msg, Offset: -1}
}

// sqliteError builds D1's error for a failed SQLite call on cn: SQLite's
// message, the offset SQLite blamed, and the result codes. err is the error
// zombiezen returned; the message is read from the connection, where SQLite
// left it. The authorizer's special denials are turned into D1's texts.
func (cn *conn) sqliteError(ctx context.Context, err error) error {
	code := sqlite.ErrCode(err)
	if code.ToPrimary() == sqlite.ResultInterrupt && ctx != nil && ctx.Err() != nil {
		return fmt.Errorf("local: query interrupted: %w", ctx.Err())
	}
	switch cn.note.deny {
	case denyTransaction:
		return d1Error(msgTransaction)
	}
	msg := libc.GoString(lib.Xsqlite3_errmsg(cn.tls, cn.db))
	if sqlite.ResultCode(lib.Xsqlite3_extended_errcode(cn.tls, cn.db)) != code || msg == "" {
		// The connection no longer holds this error (a binding failed, for
		// example): use SQLite's generic text for the code.
		msg = libc.GoString(lib.Xsqlite3_errstr(cn.tls, int32(code)))
	}
	if cn.note.deny == denyMissingFunction && len(msg) > len(msgAuthFunction) && msg[:len(msgAuthFunction)] == msgAuthFunction {
		msg = msgNoSuchFunction + msg[len(msgAuthFunction):]
	}
	if m, ok := d1Messages[msg]; ok {
		msg = m
	}
	off := -1
	if o, ok := sqlite.ErrorOffset(err); ok {
		off = o
	}
	e := &d1.Error{Code: d1.CodeError, Message: msg, Offset: off, Primary: d1.ResultCode(code.ToPrimary())}
	if ext := d1.ResultCode(code); ext != e.Primary {
		e.Extended = ext
	}
	return e
}
