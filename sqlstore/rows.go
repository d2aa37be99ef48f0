package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"backdesk"
)

type scanner interface{ Scan(...any) error }

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// eachRow runs query and calls fn for each row.
func eachRow(ctx context.Context, q querier, query string, args []any, fn func(scanner) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// totalPastEnd sets *total for a paged list whose page came back empty
// (n rows) at an offset: COUNT(*) OVER () counts only when the query
// returns a row, so a page past the end reported 0 of however many there
// are. from is the FROM clause with its WHERE, as the list's query has it.
func totalPastEnd(ctx context.Context, q *sql.DB, n int, p backdesk.Page, from string, args []any, total *int) error {
	if n > 0 || p.Offset <= 0 {
		return nil
	}
	return q.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+from, args...).Scan(total)
}

// jsonList scans a JSON array of strings kept in a TEXT column.
type jsonList struct{ v *[]string }

func (j jsonList) Scan(src any) error {
	var b []byte
	switch x := src.(type) {
	case string:
		b = []byte(x)
	case []byte:
		b = x
	default:
		return fmt.Errorf("scan list: unexpected %T", src)
	}
	*j.v = []string{}
	return json.Unmarshal(b, j.v)
}

func listValue(v []string) string {
	if v == nil {
		v = []string{}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// where builds a WHERE clause of ANDed conditions, numbering each one's
// placeholder: w.add(`patient_id = $%d`, id).
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, v any) { w.addArgs(cond, v) }

// addArgs adds a condition with several parameters: cond names them
// $%[1]d, $%[2]d … in the order of vs.
func (w *where) addArgs(cond string, vs ...any) {
	idx := make([]any, len(vs))
	for i, v := range vs {
		w.args = append(w.args, v)
		idx[i] = len(w.args)
	}
	w.conds = append(w.conds, fmt.Sprintf(cond, idx...))
}

// in adds "column IN (…)" with one parameter for each of vs; an empty vs
// matches nothing.
func (w *where) in(column string, vs ...any) {
	if len(vs) == 0 {
		w.conds = append(w.conds, `1 = 0`)
		return
	}
	ph := make([]string, len(vs))
	for i, v := range vs {
		w.args = append(w.args, v)
		ph[i] = fmt.Sprintf("$%d", len(w.args))
	}
	w.conds = append(w.conds, column+` IN (`+strings.Join(ph, ", ")+`)`)
}

// sql is the clause, or "" when there is no condition.
func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return "WHERE " + strings.Join(w.conds, " AND ")
}
