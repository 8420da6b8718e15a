package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// queryAll runs query on q and returns its rows, each made by scan, in
// order (nil when none, as a slice that was appended to would be). The
// caller wraps an error with what failed.
func queryAll[T any](ctx context.Context, q querier, scan func(pgx.Row) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return pgx.AppendRows[T, []T](nil, rows, func(row pgx.CollectableRow) (T, error) { return scan(row) })
}
