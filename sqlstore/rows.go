package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
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
