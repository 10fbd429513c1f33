package d1

// Transcribed from SQLite's list of result codes, https://sqlite.org/rescode.html.

// SQLite result codes, primary and extended.
const (
	ResultOK                     ResultCode = 0    // SQLITE_OK
	ResultError                  ResultCode = 1    // SQLITE_ERROR
	ResultInternal               ResultCode = 2    // SQLITE_INTERNAL
	ResultPerm                   ResultCode = 3    // SQLITE_PERM
	ResultAbort                  ResultCode = 4    // SQLITE_ABORT
	ResultBusy                   ResultCode = 5    // SQLITE_BUSY
	ResultLocked                 ResultCode = 6    // SQLITE_LOCKED
	ResultNoMem                  ResultCode = 7    // SQLITE_NOMEM
	ResultReadOnly               ResultCode = 8    // SQLITE_READONLY
	ResultInterrupt              ResultCode = 9    // SQLITE_INTERRUPT
	ResultIOErr                  ResultCode = 10   // SQLITE_IOERR
	ResultCorrupt                ResultCode = 11   // SQLITE_CORRUPT
	ResultNotFound               ResultCode = 12   // SQLITE_NOTFOUND
	ResultFull                   ResultCode = 13   // SQLITE_FULL
	ResultCantOpen               ResultCode = 14   // SQLITE_CANTOPEN
	ResultProtocol               ResultCode = 15   // SQLITE_PROTOCOL
	ResultEmpty                  ResultCode = 16   // SQLITE_EMPTY
	ResultSchema                 ResultCode = 17   // SQLITE_SCHEMA
	ResultTooBig                 ResultCode = 18   // SQLITE_TOOBIG
	ResultConstraint             ResultCode = 19   // SQLITE_CONSTRAINT
	ResultMismatch               ResultCode = 20   // SQLITE_MISMATCH
	ResultMisuse                 ResultCode = 21   // SQLITE_MISUSE
	ResultNoLFS                  ResultCode = 22   // SQLITE_NOLFS
	ResultAuth                   ResultCode = 23   // SQLITE_AUTH
	ResultFormat                 ResultCode = 24   // SQLITE_FORMAT
	ResultRange                  ResultCode = 25   // SQLITE_RANGE
	ResultNotADB                 ResultCode = 26   // SQLITE_NOTADB
	ResultNotice                 ResultCode = 27   // SQLITE_NOTICE
	ResultWarning                ResultCode = 28   // SQLITE_WARNING
	ResultRow                    ResultCode = 100  // SQLITE_ROW
	ResultDone                   ResultCode = 101  // SQLITE_DONE
	ResultErrorMissingCollSeq    ResultCode = 257  // SQLITE_ERROR_MISSING_COLLSEQ
	ResultErrorRetry             ResultCode = 513  // SQLITE_ERROR_RETRY
	ResultErrorSnapshot          ResultCode = 769  // SQLITE_ERROR_SNAPSHOT
	ResultErrorReserveSize       ResultCode = 1025 // SQLITE_ERROR_RESERVESIZE
	ResultErrorKey               ResultCode = 1281 // SQLITE_ERROR_KEY
	ResultErrorUnable            ResultCode = 1537 // SQLITE_ERROR_UNABLE
	ResultIOErrRead              ResultCode = 266  // SQLITE_IOERR_READ
	ResultIOErrShortRead         ResultCode = 522  // SQLITE_IOERR_SHORT_READ
	ResultIOErrWrite             ResultCode = 778  // SQLITE_IOERR_WRITE
	ResultIOErrFsync             ResultCode = 1034 // SQLITE_IOERR_FSYNC
	ResultIOErrDirFsync          ResultCode = 1290 // SQLITE_IOERR_DIR_FSYNC
	ResultIOErrTruncate          ResultCode = 1546 // SQLITE_IOERR_TRUNCATE
	ResultIOErrFstat             ResultCode = 1802 // SQLITE_IOERR_FSTAT
	ResultIOErrUnlock            ResultCode = 2058 // SQLITE_IOERR_UNLOCK
	ResultIOErrRdlock            ResultCode = 2314 // SQLITE_IOERR_RDLOCK
	ResultIOErrDelete            ResultCode = 2570 // SQLITE_IOERR_DELETE
	ResultIOErrBlocked           ResultCode = 2826 // SQLITE_IOERR_BLOCKED
	ResultIOErrNoMem             ResultCode = 3082 // SQLITE_IOERR_NOMEM
	ResultIOErrAccess            ResultCode = 3338 // SQLITE_IOERR_ACCESS
	ResultIOErrCheckreservedlock ResultCode = 3594 // SQLITE_IOERR_CHECKRESERVEDLOCK
	ResultIOErrLock              ResultCode = 3850 // SQLITE_IOERR_LOCK
	ResultIOErrClose             ResultCode = 4106 // SQLITE_IOERR_CLOSE
	ResultIOErrDirClose          ResultCode = 4362 // SQLITE_IOERR_DIR_CLOSE
	ResultIOErrShmopen           ResultCode = 4618 // SQLITE_IOERR_SHMOPEN
	ResultIOErrShmsize           ResultCode = 4874 // SQLITE_IOERR_SHMSIZE
	ResultIOErrShmlock           ResultCode = 5130 // SQLITE_IOERR_SHMLOCK
	ResultIOErrShmmap            ResultCode = 5386 // SQLITE_IOERR_SHMMAP
	ResultIOErrSeek              ResultCode = 5642 // SQLITE_IOERR_SEEK
	ResultIOErrDeleteNoent       ResultCode = 5898 // SQLITE_IOERR_DELETE_NOENT
	ResultIOErrMmap              ResultCode = 6154 // SQLITE_IOERR_MMAP
	ResultIOErrGettemppath       ResultCode = 6410 // SQLITE_IOERR_GETTEMPPATH
	ResultIOErrConvPath          ResultCode = 6666 // SQLITE_IOERR_CONVPATH
	ResultIOErrVnode             ResultCode = 6922 // SQLITE_IOERR_VNODE
	ResultIOErrAuth              ResultCode = 7178 // SQLITE_IOERR_AUTH
	ResultIOErrBeginAtomic       ResultCode = 7434 // SQLITE_IOERR_BEGIN_ATOMIC
	ResultIOErrCommitAtomic      ResultCode = 7690 // SQLITE_IOERR_COMMIT_ATOMIC
	ResultIOErrRollbackAtomic    ResultCode = 7946 // SQLITE_IOERR_ROLLBACK_ATOMIC
	ResultIOErrData              ResultCode = 8202 // SQLITE_IOERR_DATA
	ResultIOErrCorruptfs         ResultCode = 8458 // SQLITE_IOERR_CORRUPTFS
	ResultIOErrInPage            ResultCode = 8714 // SQLITE_IOERR_IN_PAGE
	ResultIOErrBadkey            ResultCode = 8970 // SQLITE_IOERR_BADKEY
	ResultIOErrCodec             ResultCode = 9226 // SQLITE_IOERR_CODEC
	ResultLockedSharedCache      ResultCode = 262  // SQLITE_LOCKED_SHAREDCACHE
	ResultLockedVtab             ResultCode = 518  // SQLITE_LOCKED_VTAB
	ResultBusyRecovery           ResultCode = 261  // SQLITE_BUSY_RECOVERY
	ResultBusySnapshot           ResultCode = 517  // SQLITE_BUSY_SNAPSHOT
	ResultBusyTimeout            ResultCode = 773  // SQLITE_BUSY_TIMEOUT
	ResultCantOpenNoTempDir      ResultCode = 270  // SQLITE_CANTOPEN_NOTEMPDIR
	ResultCantOpenIsDir          ResultCode = 526  // SQLITE_CANTOPEN_ISDIR
	ResultCantOpenFullPath       ResultCode = 782  // SQLITE_CANTOPEN_FULLPATH
	ResultCantOpenConvPath       ResultCode = 1038 // SQLITE_CANTOPEN_CONVPATH
	ResultCantOpenDirtyWAL       ResultCode = 1294 // SQLITE_CANTOPEN_DIRTYWAL
	ResultCantOpenSymlink        ResultCode = 1550 // SQLITE_CANTOPEN_SYMLINK
	ResultCorruptVtab            ResultCode = 267  // SQLITE_CORRUPT_VTAB
	ResultCorruptSequence        ResultCode = 523  // SQLITE_CORRUPT_SEQUENCE
	ResultCorruptIndex           ResultCode = 779  // SQLITE_CORRUPT_INDEX
	ResultReadOnlyRecovery       ResultCode = 264  // SQLITE_READONLY_RECOVERY
	ResultReadOnlyCantLock       ResultCode = 520  // SQLITE_READONLY_CANTLOCK
	ResultReadOnlyRollback       ResultCode = 776  // SQLITE_READONLY_ROLLBACK
	ResultReadOnlyDBMoved        ResultCode = 1032 // SQLITE_READONLY_DBMOVED
	ResultReadOnlyCantInit       ResultCode = 1288 // SQLITE_READONLY_CANTINIT
	ResultReadOnlyDirectory      ResultCode = 1544 // SQLITE_READONLY_DIRECTORY
	ResultAbortRollback          ResultCode = 516  // SQLITE_ABORT_ROLLBACK
	ResultConstraintCheck        ResultCode = 275  // SQLITE_CONSTRAINT_CHECK
	ResultConstraintCommitHook   ResultCode = 531  // SQLITE_CONSTRAINT_COMMITHOOK
	ResultConstraintForeignKey   ResultCode = 787  // SQLITE_CONSTRAINT_FOREIGNKEY
	ResultConstraintFunction     ResultCode = 1043 // SQLITE_CONSTRAINT_FUNCTION
	ResultConstraintNotNull      ResultCode = 1299 // SQLITE_CONSTRAINT_NOTNULL
	ResultConstraintPrimaryKey   ResultCode = 1555 // SQLITE_CONSTRAINT_PRIMARYKEY
	ResultConstraintTrigger      ResultCode = 1811 // SQLITE_CONSTRAINT_TRIGGER
	ResultConstraintUnique       ResultCode = 2067 // SQLITE_CONSTRAINT_UNIQUE
	ResultConstraintVtab         ResultCode = 2323 // SQLITE_CONSTRAINT_VTAB
	ResultConstraintRowID        ResultCode = 2579 // SQLITE_CONSTRAINT_ROWID
	ResultConstraintPinned       ResultCode = 2835 // SQLITE_CONSTRAINT_PINNED
	ResultConstraintDatatype     ResultCode = 3091 // SQLITE_CONSTRAINT_DATATYPE
	ResultNoticeRecoverWal       ResultCode = 283  // SQLITE_NOTICE_RECOVER_WAL
	ResultNoticeRecoverRollback  ResultCode = 539  // SQLITE_NOTICE_RECOVER_ROLLBACK
	ResultNoticeRbu              ResultCode = 795  // SQLITE_NOTICE_RBU
	ResultWarningAutoIndex       ResultCode = 284  // SQLITE_WARNING_AUTOINDEX
	ResultAuthUser               ResultCode = 279  // SQLITE_AUTH_USER
	ResultOKLoadPermanently      ResultCode = 256  // SQLITE_OK_LOAD_PERMANENTLY
	ResultOKSymlink              ResultCode = 512  // SQLITE_OK_SYMLINK
)

var resultCodeNames = map[ResultCode]string{
	ResultOK:                     "SQLITE_OK",
	ResultError:                  "SQLITE_ERROR",
	ResultInternal:               "SQLITE_INTERNAL",
	ResultPerm:                   "SQLITE_PERM",
	ResultAbort:                  "SQLITE_ABORT",
	ResultBusy:                   "SQLITE_BUSY",
	ResultLocked:                 "SQLITE_LOCKED",
	ResultNoMem:                  "SQLITE_NOMEM",
	ResultReadOnly:               "SQLITE_READONLY",
	ResultInterrupt:              "SQLITE_INTERRUPT",
	ResultIOErr:                  "SQLITE_IOERR",
	ResultCorrupt:                "SQLITE_CORRUPT",
	ResultNotFound:               "SQLITE_NOTFOUND",
	ResultFull:                   "SQLITE_FULL",
	ResultCantOpen:               "SQLITE_CANTOPEN",
	ResultProtocol:               "SQLITE_PROTOCOL",
	ResultEmpty:                  "SQLITE_EMPTY",
	ResultSchema:                 "SQLITE_SCHEMA",
	ResultTooBig:                 "SQLITE_TOOBIG",
	ResultConstraint:             "SQLITE_CONSTRAINT",
	ResultMismatch:               "SQLITE_MISMATCH",
	ResultMisuse:                 "SQLITE_MISUSE",
	ResultNoLFS:                  "SQLITE_NOLFS",
	ResultAuth:                   "SQLITE_AUTH",
	ResultFormat:                 "SQLITE_FORMAT",
	ResultRange:                  "SQLITE_RANGE",
	ResultNotADB:                 "SQLITE_NOTADB",
	ResultNotice:                 "SQLITE_NOTICE",
	ResultWarning:                "SQLITE_WARNING",
	ResultRow:                    "SQLITE_ROW",
	ResultDone:                   "SQLITE_DONE",
	ResultErrorMissingCollSeq:    "SQLITE_ERROR_MISSING_COLLSEQ",
	ResultErrorRetry:             "SQLITE_ERROR_RETRY",
	ResultErrorSnapshot:          "SQLITE_ERROR_SNAPSHOT",
	ResultErrorReserveSize:       "SQLITE_ERROR_RESERVESIZE",
	ResultErrorKey:               "SQLITE_ERROR_KEY",
	ResultErrorUnable:            "SQLITE_ERROR_UNABLE",
	ResultIOErrRead:              "SQLITE_IOERR_READ",
	ResultIOErrShortRead:         "SQLITE_IOERR_SHORT_READ",
	ResultIOErrWrite:             "SQLITE_IOERR_WRITE",
	ResultIOErrFsync:             "SQLITE_IOERR_FSYNC",
	ResultIOErrDirFsync:          "SQLITE_IOERR_DIR_FSYNC",
	ResultIOErrTruncate:          "SQLITE_IOERR_TRUNCATE",
	ResultIOErrFstat:             "SQLITE_IOERR_FSTAT",
	ResultIOErrUnlock:            "SQLITE_IOERR_UNLOCK",
	ResultIOErrRdlock:            "SQLITE_IOERR_RDLOCK",
	ResultIOErrDelete:            "SQLITE_IOERR_DELETE",
	ResultIOErrBlocked:           "SQLITE_IOERR_BLOCKED",
	ResultIOErrNoMem:             "SQLITE_IOERR_NOMEM",
	ResultIOErrAccess:            "SQLITE_IOERR_ACCESS",
	ResultIOErrCheckreservedlock: "SQLITE_IOERR_CHECKRESERVEDLOCK",
	ResultIOErrLock:              "SQLITE_IOERR_LOCK",
	ResultIOErrClose:             "SQLITE_IOERR_CLOSE",
	ResultIOErrDirClose:          "SQLITE_IOERR_DIR_CLOSE",
	ResultIOErrShmopen:           "SQLITE_IOERR_SHMOPEN",
	ResultIOErrShmsize:           "SQLITE_IOERR_SHMSIZE",
	ResultIOErrShmlock:           "SQLITE_IOERR_SHMLOCK",
	ResultIOErrShmmap:            "SQLITE_IOERR_SHMMAP",
	ResultIOErrSeek:              "SQLITE_IOERR_SEEK",
	ResultIOErrDeleteNoent:       "SQLITE_IOERR_DELETE_NOENT",
	ResultIOErrMmap:              "SQLITE_IOERR_MMAP",
	ResultIOErrGettemppath:       "SQLITE_IOERR_GETTEMPPATH",
	ResultIOErrConvPath:          "SQLITE_IOERR_CONVPATH",
	ResultIOErrVnode:             "SQLITE_IOERR_VNODE",
	ResultIOErrAuth:              "SQLITE_IOERR_AUTH",
	ResultIOErrBeginAtomic:       "SQLITE_IOERR_BEGIN_ATOMIC",
	ResultIOErrCommitAtomic:      "SQLITE_IOERR_COMMIT_ATOMIC",
	ResultIOErrRollbackAtomic:    "SQLITE_IOERR_ROLLBACK_ATOMIC",
	ResultIOErrData:              "SQLITE_IOERR_DATA",
	ResultIOErrCorruptfs:         "SQLITE_IOERR_CORRUPTFS",
	ResultIOErrInPage:            "SQLITE_IOERR_IN_PAGE",
	ResultIOErrBadkey:            "SQLITE_IOERR_BADKEY",
	ResultIOErrCodec:             "SQLITE_IOERR_CODEC",
	ResultLockedSharedCache:      "SQLITE_LOCKED_SHAREDCACHE",
	ResultLockedVtab:             "SQLITE_LOCKED_VTAB",
	ResultBusyRecovery:           "SQLITE_BUSY_RECOVERY",
	ResultBusySnapshot:           "SQLITE_BUSY_SNAPSHOT",
	ResultBusyTimeout:            "SQLITE_BUSY_TIMEOUT",
	ResultCantOpenNoTempDir:      "SQLITE_CANTOPEN_NOTEMPDIR",
	ResultCantOpenIsDir:          "SQLITE_CANTOPEN_ISDIR",
	ResultCantOpenFullPath:       "SQLITE_CANTOPEN_FULLPATH",
	ResultCantOpenConvPath:       "SQLITE_CANTOPEN_CONVPATH",
	ResultCantOpenDirtyWAL:       "SQLITE_CANTOPEN_DIRTYWAL",
	ResultCantOpenSymlink:        "SQLITE_CANTOPEN_SYMLINK",
	ResultCorruptVtab:            "SQLITE_CORRUPT_VTAB",
	ResultCorruptSequence:        "SQLITE_CORRUPT_SEQUENCE",
	ResultCorruptIndex:           "SQLITE_CORRUPT_INDEX",
	ResultReadOnlyRecovery:       "SQLITE_READONLY_RECOVERY",
	ResultReadOnlyCantLock:       "SQLITE_READONLY_CANTLOCK",
	ResultReadOnlyRollback:       "SQLITE_READONLY_ROLLBACK",
	ResultReadOnlyDBMoved:        "SQLITE_READONLY_DBMOVED",
	ResultReadOnlyCantInit:       "SQLITE_READONLY_CANTINIT",
	ResultReadOnlyDirectory:      "SQLITE_READONLY_DIRECTORY",
	ResultAbortRollback:          "SQLITE_ABORT_ROLLBACK",
	ResultConstraintCheck:        "SQLITE_CONSTRAINT_CHECK",
	ResultConstraintCommitHook:   "SQLITE_CONSTRAINT_COMMITHOOK",
	ResultConstraintForeignKey:   "SQLITE_CONSTRAINT_FOREIGNKEY",
	ResultConstraintFunction:     "SQLITE_CONSTRAINT_FUNCTION",
	ResultConstraintNotNull:      "SQLITE_CONSTRAINT_NOTNULL",
	ResultConstraintPrimaryKey:   "SQLITE_CONSTRAINT_PRIMARYKEY",
	ResultConstraintTrigger:      "SQLITE_CONSTRAINT_TRIGGER",
	ResultConstraintUnique:       "SQLITE_CONSTRAINT_UNIQUE",
	ResultConstraintVtab:         "SQLITE_CONSTRAINT_VTAB",
	ResultConstraintRowID:        "SQLITE_CONSTRAINT_ROWID",
	ResultConstraintPinned:       "SQLITE_CONSTRAINT_PINNED",
	ResultConstraintDatatype:     "SQLITE_CONSTRAINT_DATATYPE",
	ResultNoticeRecoverWal:       "SQLITE_NOTICE_RECOVER_WAL",
	ResultNoticeRecoverRollback:  "SQLITE_NOTICE_RECOVER_ROLLBACK",
	ResultNoticeRbu:              "SQLITE_NOTICE_RBU",
	ResultWarningAutoIndex:       "SQLITE_WARNING_AUTOINDEX",
	ResultAuthUser:               "SQLITE_AUTH_USER",
	ResultOKLoadPermanently:      "SQLITE_OK_LOAD_PERMANENTLY",
	ResultOKSymlink:              "SQLITE_OK_SYMLINK",
}
