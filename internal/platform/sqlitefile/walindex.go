package sqlitefile

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
)

// walHeader is the header of a WAL file's index, the first 48 bytes of the -shm file
// (https://sqlite.org/walformat.html#the_wal_index_file_format): its change counter, last valid
// frame, page count, frame checksum and salts. Every commit rewrites it (the frame count grows, the
// counter and checksum change, or a restarted WAL gets new salts), and nothing else does but a
// checkpoint's reset, which only makes it differ too. So while it reads the same, nothing has been
// committed to the database, by any connection of any process.
type walHeader [48]byte

// walIndex reads a database's WAL index header with one pread, without a read transaction: that
// takes SQLite (modernc's) a shared-memory lock and unlock by fcntl, a statement step and a reset,
// 13 to 19% of the CPU of a Momentum request that only checks its kept rows.
//
// The header is read as SQLite's own readers read it (walIndexTryHdr): both copies, the first
// first, and accepted only when they are equal and initialised. A writer writes the second copy and
// then the first, so a header caught half written never passes. A header is never served from: it
// only says whether rows kept at an earlier header are still the database's.
//
// The index must stay the file the database's connections use. It is deleted, or rebuilt, only by
// a connection that holds the database's EXCLUSIVE lock (the last one to close, or one leaving WAL
// mode), and in WAL mode a connection keeps its SHARED lock from its first read until it closes. So
// walIndex keeps a connection of its own that has read (guard) for as long as it is open.
type walIndex struct {
	guard *sql.DB
	shm   *os.File
}

// openWALIndex returns the index of the database at path, or nil when the database is not in WAL
// mode (nothing to watch: every check goes through SQLite).
func openWALIndex(ctx context.Context, path string) (*walIndex, error) {
	guard, err := sql.Open("sqlite", DSN(path, url.Values{"_pragma": {"query_only(1)", "mmap_size(0)"}}))
	if err != nil {
		return nil, fmt.Errorf("open the WAL guard of %s: %w", path, err)
	}
	guard.SetMaxOpenConns(1)
	guard.SetMaxIdleConns(1)
	guard.SetConnMaxLifetime(0)
	guard.SetConnMaxIdleTime(0)
	var mode string
	var n int
	err = guard.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode)
	if err == nil && mode == "wal" {
		// The read that takes the SHARED lock the guard then keeps.
		err = guard.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&n)
	}
	if err != nil || mode != "wal" {
		guard.Close()
		if err != nil {
			return nil, fmt.Errorf("WAL guard of %s: %w", path, err)
		}
		return nil, nil
	}
	shm, err := os.Open(path + "-shm")
	if err != nil {
		guard.Close()
		return nil, fmt.Errorf("open the WAL index of %s: %w", path, err)
	}
	return &walIndex{guard: guard, shm: shm}, nil
}

// header reads the current header; ok is false when it cannot be trusted (being written, not yet
// initialised, unreadable), and the caller then asks SQLite.
func (x *walIndex) header() (h walHeader, ok bool) {
	var b [2 * len(walHeader{})]byte
	if n, _ := x.shm.ReadAt(b[:], 0); n < len(b) {
		return h, false
	}
	const isInit = 12
	if b[isInit] == 0 || !bytes.Equal(b[:len(h)], b[len(h):]) {
		return h, false
	}
	copy(h[:], b[:len(h)])
	return h, true
}

func (x *walIndex) close() error {
	if x == nil {
		return nil
	}
	err := x.shm.Close()
	if gerr := x.guard.Close(); err == nil {
		err = gerr
	}
	return err
}
