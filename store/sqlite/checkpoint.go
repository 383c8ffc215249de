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

// checkpointer runs the WAL checkpoints on a connection of its own, off
// the writer's path. SQLite's automatic checkpoint (turned off on the write
// connection) runs inside the commit that takes the log past 1,000 pages:
// that commit, and every write of its group, waits while the pages are
// copied and the database file is synced. Here a PASSIVE checkpoint runs
// once threshold bytes were committed since the last one; it waits for no
// reader or writer, and what it cannot copy yet, the next one does.
func (s *Store) checkpointer(db *sql.DB, every time.Duration, threshold int64, done func()) {
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
		_, _ = db.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)")
		if done != nil {
			done()
		}
	}
}
