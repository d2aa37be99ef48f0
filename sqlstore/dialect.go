package sqlstore

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"

	"backdesk"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect holds what really differs between SQLite and PostgreSQL.
type dialect struct {
	name       string // "sqlite" | "postgres"
	migrations string // folder in migrationsFS
	// constraint maps a driver error to the kind of constraint it broke.
	constraint func(err error) constraintKind
	// fold is the SQL function that lower-cases any letter, not only
	// ASCII: SQLite's own lower() folds ASCII alone, so SQLite uses fold,
	// registered below.
	fold string
	// forUpdate locks the rows a read-modify-write reads (PostgreSQL); on
	// SQLite the single writer already serialises every write transaction.
	forUpdate string
	// tableExists answers whether the table named $1 exists (in the
	// schema of the search path on PostgreSQL).
	tableExists string
	// instant follows a parameter that holds an instant where its type
	// cannot be inferred (the select list of INSERT … SELECT): PostgreSQL
	// would take it for text.
	instant string
}

// The fold function for SQLite, on every connection the driver opens: Go's
// strings.ToLower, as searches fold their terms.
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("backdesk_fold", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return strings.ToLower(v), nil
		case []byte:
			return strings.ToLower(string(v)), nil
		}
		return args[0], nil
	})
}

type constraintKind int

const (
	noConstraint constraintKind = iota
	uniqueViolation
	foreignKeyViolation
	checkViolation
	exclusionViolation
	limitViolation // a patient's limit (PostgreSQL: SQLSTATE BD001, raised by backdesk_limit_reached)
	// closedRecord: a booking under a record erased or merged into another
	// (PostgreSQL: SQLSTATE BD002, raised by backdesk_patient_closed).
	closedRecord
	// frozenRecord: a trigger refused to change a record that is final
	// (a signed clinical note).
	frozenRecord
)

var sqliteDialect = dialect{
	name:        "sqlite",
	migrations:  "migrations/sqlite",
	fold:        "backdesk_fold",
	tableExists: `SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = $1`,
	constraint: func(err error) constraintKind {
		var e *sqlite.Error
		if !errors.As(err, &e) {
			return noConstraint
		}
		switch e.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return uniqueViolation
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return foreignKeyViolation
		case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return checkViolation
		case sqlite3.SQLITE_CONSTRAINT_TRIGGER:
			return frozenRecord
		}
		return noConstraint
	},
}

var postgresDialect = dialect{
	name:        "postgres",
	migrations:  "migrations/postgres",
	fold:        "lower",
	forUpdate:   " FOR UPDATE",
	tableExists: `SELECT to_regclass($1) IS NOT NULL`,
	instant:     "::timestamptz",
	constraint: func(err error) constraintKind {
		var e *pgconn.PgError
		if !errors.As(err, &e) {
			return noConstraint
		}
		switch e.Code {
		case "23505":
			return uniqueViolation
		case "23503":
			return foreignKeyViolation
		case "23514", "23502":
			return checkViolation
		case "23P01":
			return exclusionViolation
		case "BD001":
			return limitViolation
		case "BD002":
			return closedRecord
		case "23000": // raised by the triggers that keep signed records as they are
			return frozenRecord
		}
		return noConstraint
	},
}

// classify turns a constraint violation into a *backdesk.Error with a safe
// message, keeping the driver error as the cause. Errors that already are
// *backdesk.Error, and all others, pass through unchanged.
func (d dialect) classify(err error) error {
	var be *backdesk.Error
	if err == nil || errors.As(err, &be) {
		return err
	}
	switch d.constraint(err) {
	case uniqueViolation:
		return &backdesk.Error{Code: backdesk.CodeConflict, Message: "That already exists.", Err: err}
	case exclusionViolation:
		return &backdesk.Error{Code: backdesk.CodeConflict, Message: errSlotTaken.Message, Err: err}
	case foreignKeyViolation:
		return &backdesk.Error{Code: backdesk.CodeInvalid, Message: "That refers to something that does not exist.", Err: err}
	case checkViolation:
		return &backdesk.Error{Code: backdesk.CodeInvalid, Message: "A value is out of range.", Err: err}
	case limitViolation:
		return backdesk.ErrLimitReached
	case closedRecord:
		closed := backdesk.ErrRecordClosed
		return &backdesk.Error{Code: closed.Code, Message: closed.Message, Err: errors.Join(closed, err)}
	case frozenRecord:
		return &backdesk.Error{Code: backdesk.CodeConflict, Message: "That record is signed and cannot be changed.", Err: err}
	}
	return err
}

// sqliteMessage explains the SQLite errors an operator can meet at start;
// any other error it gives as one line.
func sqliteMessage(err error) string {
	var e *sqlite.Error
	if errors.As(err, &e) {
		switch e.Code() & 0xff {
		case sqlite3.SQLITE_READONLY:
			return "the file or its folder is read-only: backdesk needs to write to it"
		case sqlite3.SQLITE_NOTADB:
			return "the file is not a SQLite database"
		case sqlite3.SQLITE_CANTOPEN:
			return "the file cannot be opened (check the path and permissions)"
		case sqlite3.SQLITE_BUSY:
			return "the database is locked by another program"
		}
	}
	return strings.Join(strings.Fields(fmt.Sprint(err)), " ")
}
