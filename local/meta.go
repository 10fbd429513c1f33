package local

import (
	"unsafe"

	lib "modernc.org/sqlite/lib"
)

// D1 reports rows_read and rows_written from counters that Cloudflare
// patched into its SQLite (workerd's patches/sqlite/0001-row-counts):
//
//   - a row read is counted each time a cursor is positioned (Rewind, Last,
//     a Seek or SeekRowid, even when it finds nothing), each time Next or
//     Prev moves to a row (sorters included), once per row for count(*),
//     and for every step of a virtual table;
//   - a row written is counted for each row inserted into a table or index
//     (not ephemeral ones), each row a DELETE removes from its table, each
//     row a whole-table DELETE clears, and each virtual table update.
//
// modernc's SQLite has no such counters. The local backend gets close by
// combining what the engine counts while a statement runs (the Next/Prev
// steps SQLite counts for sqlite3_stmt_status) with an analysis of the
// statement's program. The estimate matches D1 for point reads, scans,
// ORDER BY, joins whose inner loop seeks, INSERT, UPDATE and DELETE with their
// index writes, and CREATE TABLE. It differs where D1 counts work the engine
// does not report: count(*) counts 1 instead of the table's rows, steps of
// virtual tables (json_each, FTS5) are not counted, a seek inside nested
// loops of the same kind is apportioned evenly between them, rows written by
// an index build (CREATE INDEX on a filled table) are not counted, and an
// upsert that updates counts the index writes of the insert it did not do.

// progInfo is the analysis of one compiled program.
type progInfo struct {
	aOp       uintptr // program the analysis is for; SQLite swaps it on re-prepare
	nOp       int32
	single    int64    // positioning ops outside any loop
	inLoop    []int8   // for positioning ops inside loops: the innermost loop's counter (-1: none)
	loops     [9]int64 // loops per Next/Prev counter slot
	idxWrites int64    // index inserts per changed row
	ddlWrites int64    // table inserts not counted as changes (the schema table)
	counts    bool     // the statement counts changes (INSERT, UPDATE, DELETE)
	triggers  bool     // the statement may run trigger or foreign key programs
	vtab      bool     // the statement updates a virtual table
}

// countedSlots are the sqlite3_stmt_status slots that OP_Next and OP_Prev
// increment (their P5): 0 for index and sorter loops, FULLSCAN_STEP and
// AUTOINDEX.
var countedSlots = [...]int{0, lib.SQLITE_STMTSTATUS_FULLSCAN_STEP, lib.SQLITE_STMTSTATUS_AUTOINDEX}

// resetCounters zeroes the step counters before a run whose meta is wanted.
func (cs *cstmt) resetCounters() {
	v := cs.vdbe()
	for _, i := range countedSlots {
		v.FaCounter[i] = 0
	}
}

// rowCounts estimates D1's rows_read and rows_written for the run that just
// finished. direct is sqlite3_changes after it, total the growth of
// sqlite3_total_changes during it (which includes triggers, foreign key
// actions and a virtual table's own statements).
func (cs *cstmt) rowCounts(direct, total int64) (read, written int64) {
	v := cs.vdbe()
	if cs.prog.aOp != v.FaOp || cs.prog.nOp != v.FnOp {
		cs.prog = analyze(v)
	}
	p := &cs.prog
	var steps [9]int64
	for _, i := range countedSlots {
		steps[i] = int64(v.FaCounter[i])
		read += steps[i]
	}
	read += p.single
	for _, slot := range p.inLoop {
		if slot >= 0 && p.loops[slot] > 0 {
			read += 1 + steps[slot]/p.loops[slot]
		} else {
			read++
		}
	}
	if !p.counts {
		direct = 0
	}
	switch {
	case p.vtab:
		written = direct
	default:
		written = direct*(1+p.idxWrites) + p.ddlWrites
		if p.triggers && total > direct {
			written += total - direct
		}
	}
	return read, written
}

type loop struct {
	start, end int32
	slot       int8
}

func analyze(v *lib.TVdbe) progInfo {
	info := progInfo{aOp: v.FaOp, nOp: v.FnOp}
	if v.FaOp == 0 || v.FnOp <= 0 {
		return info
	}
	ops := unsafe.Slice((*lib.TOp)(cptr(v.FaOp)), v.FnOp)
	real := make(map[int32]bool)
	var loops []loop
	for i := range ops {
		op := &ops[i]
		switch int(op.Fopcode) {
		case lib.OP_OpenRead, lib.OP_OpenWrite, lib.OP_ReopenIdx:
			real[op.Fp1] = true
		case lib.OP_OpenEphemeral, lib.OP_OpenAutoindex, lib.OP_SorterOpen, lib.OP_OpenPseudo, lib.OP_OpenDup:
			real[op.Fp1] = false
		case lib.OP_Next, lib.OP_Prev, lib.OP_SorterNext, lib.OP_VNext:
			if op.Fp2 <= int32(i) {
				slot := int8(-1)
				if int(op.Fopcode) != lib.OP_VNext && op.Fp5 < 9 {
					slot = int8(op.Fp5)
					info.loops[slot]++
				}
				loops = append(loops, loop{start: op.Fp2, end: int32(i), slot: slot})
			}
		}
	}
	dead := deadCode(ops)
	for i := range ops {
		op := &ops[i]
		if dead[i] {
			continue
		}
		switch int(op.Fopcode) {
		case lib.OP_Rewind, lib.OP_Last, lib.OP_SeekLT, lib.OP_SeekLE, lib.OP_SeekGE, lib.OP_SeekGT,
			lib.OP_SeekRowid, lib.OP_NotExists, lib.OP_Sort, lib.OP_SorterSort, lib.OP_Count:
			inner := -1
			for j, l := range loops {
				if l.start <= int32(i) && int32(i) < l.end && (inner < 0 || l.end-l.start < loops[inner].end-loops[inner].start) {
					inner = j
				}
			}
			if inner < 0 {
				info.single++
			} else {
				info.inLoop = append(info.inLoop, loops[inner].slot)
			}
		case lib.OP_IdxInsert:
			if op.Fp5&lib.OPFLAG_NCHANGE != 0 {
				info.counts = true
			} else if real[op.Fp1] {
				info.idxWrites++
			}
		case lib.OP_Insert:
			if op.Fp5&lib.OPFLAG_NCHANGE != 0 {
				info.counts = true
			} else if real[op.Fp1] && op.Fp5&lib.OPFLAG_ISNOOP == 0 {
				info.ddlWrites++
			}
		case lib.OP_Delete:
			if op.Fp2&lib.OPFLAG_NCHANGE != 0 {
				info.counts = true
			}
		case lib.OP_Clear:
			if op.Fp3 != 0 {
				info.counts = true
			}
		case lib.OP_Program, lib.OP_FkCounter:
			info.triggers = true
		case lib.OP_VUpdate:
			info.vtab, info.counts = true, true
		}
	}
	return info
}

// deadCode marks the instructions that follow an unconditional jump and that
// no instruction jumps to: code SQLite generated but skips (such as the schema
// entry of a WITHOUT ROWID table's primary key).
func deadCode(ops []lib.TOp) []bool {
	target := make([]bool, len(ops)+1)
	for i := range ops {
		if p2 := ops[i].Fp2; p2 > 0 && int(p2) < len(ops) {
			target[p2] = true
		}
	}
	dead := make([]bool, len(ops))
	skipping := false
	for i := range ops {
		if target[i] {
			skipping = false
		}
		dead[i] = skipping
		if int(ops[i].Fopcode) == lib.OP_Goto && !skipping {
			skipping = true
		}
	}
	return dead
}
