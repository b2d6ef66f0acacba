package sqlstore

import "context"

// Observe returns db reporting the text of every statement it runs to seen, before running it: the
// adapters' tests list the statements each engine runs this way. seen must be safe for concurrent
// use.
func Observe(db DB, seen func(sql string)) DB {
	return DB{
		Read:  observed{db.Read, seen},
		Write: observed{db.Write, seen},
		Begin: func(ctx context.Context) (Tx, error) {
			tx, err := db.Begin(ctx)
			if err != nil {
				return nil, err
			}
			return observedTx{observed{tx, seen}, tx}, nil
		},
		SendBatch: func(ctx context.Context, b *Batch) BatchResults {
			for _, q := range b.Queued() {
				seen(q.SQL)
			}
			return db.SendBatch(ctx, b)
		},
	}
}

type observed struct {
	q    Querier
	seen func(string)
}

func (o observed) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	o.seen(sql)
	return o.q.Exec(ctx, sql, args...)
}

func (o observed) Query(ctx context.Context, sql string, args ...any) (Rows, error) {
	o.seen(sql)
	return o.q.Query(ctx, sql, args...)
}

func (o observed) QueryRow(ctx context.Context, sql string, args ...any) Row {
	o.seen(sql)
	return o.q.QueryRow(ctx, sql, args...)
}

type observedTx struct {
	observed
	tx Tx
}

func (t observedTx) Commit(ctx context.Context) error   { return t.tx.Commit(ctx) }
func (t observedTx) Rollback(ctx context.Context) error { return t.tx.Rollback(ctx) }
