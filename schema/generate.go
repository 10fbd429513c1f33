package schema

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// SnapshotFile is the name, in a migrations folder, of the file that holds
// the schema the folder's migrations were generated for, in the JSON of
// [Schema.Save]. [GenerateDir] diffs the schema against it and rewrites it.
// The migration runner ignores it, as it ignores every file that is not
// <version>_<name>.sql.
const SnapshotFile = "schema.snapshot.json"

// UnsafeSuffix ends the name of the file that [Generate] writes for an
// unsafe change it was not allowed to write as SQL: "<version>_<name>.sql"
// followed by UnsafeSuffix. The runner ignores it. It explains the change
// and holds the statement that would make it, commented out; to make the
// change, uncomment the statement and drop the suffix from the name.
const UnsafeSuffix = ".unsafe"

// GenerateOptions configures [Generate] and [GenerateDir].
type GenerateOptions struct {
	// Name describes the migrations, as in "add_users": ASCII letters,
	// digits, '_' and '-'. Every file is named <version>_<Name>.sql.
	Name string

	// Version is the version of the first file written. [Generate] starts
	// at 1 when it is 0; [GenerateDir] starts after the folder's highest.
	Version int64

	// AllowUnsafe writes unsafe changes (drops, changed indexes) as SQL,
	// like the others. Without it each is written as an explanation, in a
	// file ending in [UnsafeSuffix], after the safe changes. A change of a
	// column's type or of whether it is required is always an explanation:
	// no single statement can make it.
	AllowUnsafe bool
}

// File is a file that [Generate] writes: a migration, an unsafe change's
// explanation, or the snapshot.
type File struct {
	// Name is the file's name, without a directory.
	Name string
	// Data is the file's content.
	Data []byte
	// Change is the change the file makes or explains; nil for the snapshot.
	Change *Change
}

// Generate returns the files that take a migrations folder from the schema
// old (nil for none) to new: one migration per change of [Diff], each
// "<version>_<name>.sql" with one statement, in the order they must run,
// with consecutive versions from opts.Version; then the new snapshot,
// [SnapshotFile]. Unsafe changes are written as explained in
// [GenerateOptions.AllowUnsafe].
//
// Each file opens with a comment naming it and the change, so no two
// migrations have the same text (the runner refuses identical SQL, which a
// column dropped and added again would otherwise give). When old and new
// are the same schema, Generate returns no files; when they differ in ways
// that change no column (string to id, say), it returns the snapshot alone.
func Generate(old, new *Schema, opts GenerateOptions) ([]File, error) {
	if err := checkMigrationName(opts.Name); err != nil {
		return nil, err
	}
	version := opts.Version
	if version == 0 {
		version = 1
	}
	if version < 0 {
		return nil, fmt.Errorf("schema: generate: version %d is negative: versions start at 0", version)
	}
	changes, err := Diff(old, new)
	if err != nil {
		return nil, err
	}
	snapshot, err := new.marshal()
	if err != nil {
		return nil, err
	}
	if old != nil {
		if prev, err := old.marshal(); err == nil && bytes.Equal(prev, snapshot) {
			return nil, nil
		}
	}

	var written, explained []*Change
	for i := range changes {
		c := &changes[i]
		if !c.Unsafe || (opts.AllowUnsafe && c.SQL != "") {
			written = append(written, c)
		} else {
			explained = append(explained, c)
		}
	}
	var files []File
	for _, c := range written {
		name := fileName(version, opts.Name)
		files = append(files, File{Name: name, Data: migrationText(name, c), Change: c})
		version++
	}
	for _, c := range explained {
		name := fileName(version, opts.Name)
		files = append(files, File{Name: name + UnsafeSuffix, Data: explanationText(name, c), Change: c})
		version++
	}
	return append(files, File{Name: SnapshotFile, Data: snapshot}), nil
}

func fileName(version int64, name string) string {
	return fmt.Sprintf("%04d_%s.sql", version, name)
}

func checkMigrationName(name string) error {
	if name == "" {
		return errors.New("schema: generate: the migrations need a name, such as add_users")
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return fmt.Errorf("schema: generate: migration name %q: use ASCII letters, digits, '_' and '-' only", name)
		}
	}
	return nil
}

// migrationText is a migration file: a comment naming it and the change,
// any note, and the statement.
func migrationText(name string, c *Change) []byte {
	var b bytes.Buffer
	comment(&b, strings.TrimSuffix(name, ".sql")+": "+c.String())
	if c.Note != "" {
		prefix := ""
		if c.Unsafe {
			prefix = "UNSAFE: "
		}
		comment(&b, prefix+c.Note+".")
	}
	b.WriteString(c.SQL)
	b.WriteString(";\n")
	return b.Bytes()
}

// explanationText is the file for an unsafe change not written as SQL.
func explanationText(name string, c *Change) []byte {
	var b bytes.Buffer
	comment(&b, strings.TrimSuffix(name, ".sql")+": "+c.String())
	comment(&b, "NOT APPLIED: this change is unsafe, so it was written as a comment, not as SQL.")
	comment(&b, c.Note+".")
	if c.SQL == "" {
		comment(&b, "To make the change, write the statements that rebuild the table in a migration of its own, one statement a file.")
		return b.Bytes()
	}
	comment(&b, fmt.Sprintf("To make it, uncomment the statement below and rename this file to %s, before generating more migrations; or leave it, and the runner ignores this file.", name))
	comment(&b, c.SQL+";")
	return b.Bytes()
}

// comment writes text as SQL line comments, one for each of its lines, so a
// name holding a line break cannot end the comment.
func comment(b *bytes.Buffer, text string) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	for line := range strings.SplitSeq(text, "\n") {
		b.WriteString("-- ")
		b.WriteString(line)
		b.WriteByte('\n')
	}
}

// ReadSnapshot reads the snapshot, [SnapshotFile], in the directory dir of
// fsys. A folder without one holds no migrations generated yet: ReadSnapshot
// returns the empty schema.
func ReadSnapshot(fsys fs.FS, dir string) (*Schema, error) {
	f, err := fsys.Open(path.Join(dir, SnapshotFile))
	if errors.Is(err, fs.ErrNotExist) {
		return &Schema{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("schema: snapshot: %w", err)
	}
	defer f.Close()
	s, err := Load(f)
	if err != nil {
		return nil, fmt.Errorf("schema: snapshot %s: %w", path.Join(dir, SnapshotFile), err)
	}
	return s, nil
}

// NextVersion returns the version that follows every migration file in the
// directory dir of fsys, <version>_<name>.sql, and every unsafe change's
// explanation, <version>_<name>.sql.unsafe, or 1 for a folder without any.
// It reads names only, so it works whatever the files hold and however the
// folder is loaded.
func NextVersion(fsys fs.FS, dir string) (int64, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return 0, fmt.Errorf("schema: %w", err)
	}
	var last int64
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() {
			continue
		}
		base, ok := strings.CutSuffix(name, UnsafeSuffix)
		if !strings.EqualFold(path.Ext(base), ".sql") {
			continue
		}
		digits, rest, _ := strings.Cut(base, "_")
		if digits == "" || rest == "" || strings.Trim(digits, "0123456789") != "" {
			if ok {
				continue // not an explanation Generate wrote
			}
			return 0, fmt.Errorf("schema: %s: a migration file is named <version>_<name>.sql, such as 0001_init.sql", path.Join(dir, name))
		}
		v, err := strconv.ParseInt(digits, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("schema: %s: version %s is too large", path.Join(dir, name), digits)
		}
		last = max(last, v)
	}
	return last + 1, nil
}

// GenerateDir generates the migrations that take the folder dir from its
// snapshot to s, as [Generate] does, and writes them there, the snapshot
// last; it creates dir if needed. opts.Version 0 means [NextVersion]. It
// never overwrites a migration: a file of the same name is an error, and
// nothing is written. It returns the files written (none when s is the
// snapshot's schema).
func GenerateDir(dir string, s *Schema, opts GenerateOptions) ([]File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("schema: generate: %w", err)
	}
	fsys := os.DirFS(dir)
	old, err := ReadSnapshot(fsys, ".")
	if err != nil {
		return nil, err
	}
	if opts.Version == 0 {
		if opts.Version, err = NextVersion(fsys, "."); err != nil {
			return nil, fmt.Errorf("schema: generate: %w", err)
		}
	}
	files, err := Generate(old, s, opts)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if f.Name == SnapshotFile {
			continue
		}
		if _, err := os.Lstat(filepath.Join(dir, f.Name)); err == nil {
			return nil, fmt.Errorf("schema: generate: %s exists already: nothing written", filepath.Join(dir, f.Name))
		}
	}
	for _, f := range files {
		flag := os.O_WRONLY | os.O_CREATE | os.O_EXCL
		if f.Name == SnapshotFile {
			flag = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
		}
		if err := writeFile(filepath.Join(dir, f.Name), f.Data, flag); err != nil {
			return nil, fmt.Errorf("schema: generate: %w", err)
		}
	}
	return files, nil
}

func writeFile(name string, data []byte, flag int) error {
	f, err := os.OpenFile(name, flag, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
