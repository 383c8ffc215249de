package sqlite

import (
	"context"
	"database/sql"
	"time"
)

// checkpointEvery is how often the checkpointer looks at what was written
// since its last checkpoint; checkpointBytes is how much it lets the
// write-ahead log take first (about the 1,000 pages at which SQLite's
// automatic checkpoint would run), so that a light load is not slowed by
// frequent syncs of the database file.
const (
	checkpointEvery = 50 * time.Millisecond
	checkpointBytes = 4 << 20
)

// walLimit is the size of the write-ahead log past which the checkpointer
// has it started over (see checkpointer).
const walLimit = 64 << 20

// checkpointer runs the WAL checkpoints on a connection of its own, off
// the writer's path. SQLite's automatic checkpoint (turned off on the write
// connection) runs inside the commit that takes the log past 1,000 pages:
// that commit, and every write of its group, waits while the pages are
// copied and the database file is synced. Here a PASSIVE checkpoint runs
// once threshold bytes were committed since the last one; it waits for no
// reader or writer, and what it cannot copy yet, the next one does.
//
// A PASSIVE checkpoint copies the log but never makes SQLite start it over:
// the log restarts only when a writer begins once every frame is copied and
// no reader still reads it, which a steady load of reads and writes never
// allows, so the file would grow without end. Once the log holds more than
// limit bytes, the checkpointer has the writer empty it between two groups
// (truncateLog).
func (s *Store) checkpointer(db *sql.DB, every time.Duration, threshold, limit int64, done func()) {
	defer close(s.ckDone)
	tick := time.NewTicker(every)
	defer tick.Stop()
	last := s.logged.Load()
	for {
		select {
		case <-s.ckStop:
			return
		case <-tick.C:
		}
		n := s.logged.Load()
		if n-last < threshold {
			continue
		}
		last = n
		// An error (a busy database, a full disk) leaves the log as it
		// is: the writes are durable in it, and the next round tries again.
		var busy, frames, copied int64
		err := db.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &copied)
		if err == nil && frames*s.pageSize(db) > limit {
			// An error here is as above; ErrClosed means the store is
			// closing, and the writer is gone.
			_ = s.submit(&request{ctx: context.Background(), reset: true, done: make(chan error, 1)})
		}
		if done != nil {
			done()
		}
	}
}

// pageSize returns the database's page size, read once by the checkpointer.
func (s *Store) pageSize(db *sql.DB) int64 {
	if s.ckPageSize == 0 {
		if err := db.QueryRowContext(context.Background(), "PRAGMA page_size").Scan(&s.ckPageSize); err != nil {
			return 4096 // SQLite's default
		}
	}
	return s.ckPageSize
}
