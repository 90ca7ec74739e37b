package migration

import (
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
)

// TransactionPoolerPort is Supabase's transaction-mode pooler (Supavisor).
const TransactionPoolerPort = 6543

// CheckSessionCapable refuses a transaction-mode pooler: it hands every
// transaction to whichever server connection is free, so a session advisory
// lock (and session settings) would not stay with this client.
func CheckSessionCapable(cfg *pgconn.Config) error {
	if cfg.Port != TransactionPoolerPort {
		return nil
	}
	return fmt.Errorf("the database URL uses port %d, Supabase's transaction-mode pooler. Applying migrations holds a "+
		"session-level advisory lock (so two applies never run a migration twice) on one connection, and a transaction-mode pooler "+
		"moves each transaction to another server connection, so the lock cannot be held. Use the session pooler (the same pooler "+
		"host on port 5432) or the direct connection (db.<project-ref>.supabase.co:5432) in the provider's database.url",
		TransactionPoolerPort)
}
