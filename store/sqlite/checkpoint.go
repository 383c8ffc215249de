package sqlite

import (
	"context"
	"database/sql"
	"time"
)

// checkpointEvery is how often the checkpointer copies the write-ahead log
// into the database file, when there were writes since the last time.
const checkpointEvery = 250 * time.Millisecond

// checkpointer runs the WAL checkpoints on a connection of its own, off
// the writer's path. SQLite's automatic checkpoint (turned off on the write
// connection) runs inside the commit that takes the log past 1,000 pages:
// that commit, and every write of its group, waits while the pages are
// copied and the database file is synced. A PASSIVE checkpoint here waits
// for no reader or writer; what it cannot copy yet, the next one does.
func (s *Store) checkpointer(db *sql.DB, every time.Duration, done func()) {
	defer close(s.ckDone)
	tick := time.NewTicker(every)
	defer tick.Stop()
	last := s.txs.Load()
	for {
		select {
		case <-s.ckStop:
			return
		case <-tick.C:
		}
		n := s.txs.Load()
		if n == last {
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
