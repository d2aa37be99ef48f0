package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"sort"
)

//go:embed migrations
var migrationsFS embed.FS

// MigrationNames lists the migration files of kind ("sqlite" or
// "postgres") in the order they apply.
func MigrationNames(kind string) ([]string, error) {
	names, err := fs.Glob(migrationsFS, "migrations/"+kind+"/*.sql")
	if err != nil {
		return nil, err
	}
	for i, n := range names {
		names[i] = n[len("migrations/"+kind+"/"):]
	}
	sort.Strings(names)
	return names, nil
}

// Migrate applies, in name order, every embedded migration not yet recorded
// in schema_migrations, each in its own transaction. Forward only. It runs
// under Exclusive, so several processes starting together on one
// PostgreSQL database apply each file once (and do not race to create
// schema_migrations itself). It returns the names it applied.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	var applied []string
	err := db.Exclusive(ctx, "backdesk migrate", func() error {
		var err error
		applied, err = db.migrate(ctx)
		return err
	})
	return applied, err
}

// migrationSteps are Go steps that run in the transaction of a migration,
// after its SQL: what one SQL text cannot do alike on both databases.
var migrationSteps = map[string]func(ctx context.Context, tx *sql.Tx) error{
	"0021_front_desk.sql": fillSearchNames,
}

func (db *DB) migrate(ctx context.Context) ([]string, error) {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	names, err := MigrationNames(db.d.name)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	var applied []string
	for _, name := range names {
		body, err := migrationsFS.ReadFile(db.d.migrations + "/" + name)
		if err != nil {
			return applied, fmt.Errorf("migrate: %w", err)
		}
		ran := false
		err = db.tx(ctx, func(ctx context.Context, tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name = $1`, name).Scan(&n); err != nil || n > 0 {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			if step := migrationSteps[name]; step != nil {
				if err := step(ctx, tx); err != nil {
					return err
				}
			}
			ran = true
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)`, name, formatTime(db.now()))
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("migration %s: %s", name, oneLine(err))
		}
		if ran {
			applied = append(applied, name)
		}
	}
	return applied, nil
}

// MigrationState compares the migrations a database records with those of
// this program.
type MigrationState struct {
	Applied []string // recorded in schema_migrations, in name order
	Pending []string // embedded and not applied: what Migrate would apply, in order
	Unknown []string // applied but not embedded: written by a newer backdesk
}

// MigrationState reads schema_migrations (none yet: every migration is
// pending) and changes nothing. Its errors are single lines (SQLite's
// explained, any other as it is).
func (db *DB) MigrationState(ctx context.Context) (MigrationState, error) {
	var st MigrationState
	var exists bool
	if err := db.read.QueryRowContext(ctx, db.d.tableExists, "schema_migrations").Scan(&exists); err != nil {
		return st, fmt.Errorf("read migrations: %s", sqliteMessage(err))
	}
	if exists {
		rows, err := db.read.QueryContext(ctx, `SELECT name FROM schema_migrations ORDER BY name`)
		if err != nil {
			return st, fmt.Errorf("read migrations: %s", sqliteMessage(err))
		}
		defer rows.Close()
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				return st, fmt.Errorf("read migrations: %s", sqliteMessage(err))
			}
			st.Applied = append(st.Applied, name)
		}
		if err := rows.Err(); err != nil {
			return st, fmt.Errorf("read migrations: %s", sqliteMessage(err))
		}
	}
	names, err := MigrationNames(db.d.name)
	if err != nil {
		return st, err
	}
	st.Pending, st.Unknown = difference(names, st.Applied), difference(st.Applied, names)
	return st, nil
}

// difference is a without the names in b, in a's order.
func difference(a, b []string) []string {
	var out []string
	for _, n := range a {
		if !slices.Contains(b, n) {
			out = append(out, n)
		}
	}
	return out
}
