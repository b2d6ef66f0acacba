package pgstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Pooling is what Open's probe found between the service and PostgreSQL.
type Pooling struct {
	// Transaction is true when client connections share server sessions from one transaction to the
	// next: a pooler in transaction mode, such as the PgBouncer behind Neon's and most managed
	// PostgreSQL's pooled connection strings. False for a direct connection or a pooler in session
	// mode, where each connection keeps its server session.
	Transaction bool
	// ExecMode is pgx's default_query_exec_mode in use, as the URL spells it.
	ExecMode string
}

// ErrPoolerExecMode is Open's refusal of a query exec mode that needs a server session of its own per
// connection (prepared statements outliving a transaction) on a pooler in transaction mode that does
// not provide it. Such a pool works for a while and then fails requests at random (prepared statement
// "stmtcache_..." already exists, or does not exist), so it is refused at start-up.
var ErrPoolerExecMode = errors.New("pgstore: the database URL goes through a connection pooler in transaction mode, where its query exec mode fails at random")

// probeSQL's answer names the server session that ran it.
const probeSQL = "SELECT pg_backend_pid()"

// probePooler finds out whether a pooler in transaction mode serves cc, and whether pgx's query exec
// mode of cc works through it. It uses two connections of its own, closed before it returns.
//
// In transaction mode, modes that send no prepared statement across transactions work:
// cache_describe (statement descriptions cached in the client, statements sent unnamed: one round
// trip, as the default), exec and simple_protocol. describe_exec never does (it describes and
// executes in two round trips, which the pooler may serve on two sessions). cache_statement, pgx's
// default, works only when the pooler tracks prepared statements itself (PgBouncer 1.21 and later
// with max_prepared_statements > 0), which the probe tests.
func probePooler(ctx context.Context, cc *pgx.ConnConfig) (Pooling, error) {
	p := Pooling{ExecMode: execModeName(cc.DefaultQueryExecMode)}
	a, err := pgx.ConnectConfig(ctx, cc.Copy())
	if err != nil {
		return p, fmt.Errorf("pgstore: connection probe: %w", err)
	}
	defer a.Close(context.Background())
	b, err := pgx.ConnectConfig(ctx, cc.Copy())
	if err != nil {
		return p, fmt.Errorf("pgstore: connection probe: %w", err)
	}
	defer b.Close(context.Background())

	if p.Transaction, err = sharedSessions(ctx, a, b); err != nil {
		return p, fmt.Errorf("pgstore: connection probe: %w", err)
	}
	// One statement in the URL's mode on each connection: a mode its other settings disable
	// (statement_cache_capacity=0 with cache_statement) fails here instead of on every request, and
	// so does cache_statement through a pooler that shares sessions without tracking prepared
	// statements (the second connection prepares the same statement name on the session the first
	// left it on).
	for _, c := range []*pgx.Conn{a, b} {
		var pid int32
		if err := c.QueryRow(ctx, probeSQL).Scan(&pid); err != nil {
			if p.Transaction && preparedStatementErr(err) {
				return p, poolerError(p, err, true)
			}
			return p, fmt.Errorf("pgstore: a statement in default_query_exec_mode=%s failed: %w", p.ExecMode, err)
		}
	}
	if !p.Transaction {
		return p, nil
	}
	switch cc.DefaultQueryExecMode {
	case pgx.QueryExecModeDescribeExec:
		return p, poolerError(p, errors.New("it describes and executes in two round trips, which the pooler may serve on different server sessions"), false)
	case pgx.QueryExecModeCacheStatement:
		if err := preparedStatementsFollow(ctx, a, b); err != nil {
			return p, poolerError(p, err, true)
		}
	}
	return p, nil
}

// poolerError says what to change; preparing is whether the mode works once the pooler tracks
// prepared statements itself.
func poolerError(p Pooling, cause error, preparing bool) error {
	also := ""
	if preparing {
		also = ", or enable the pooler's own prepared-statement support (PgBouncer 1.21+: max_prepared_statements > 0)"
	}
	return fmt.Errorf("%w (default_query_exec_mode=%s: %v). Add default_query_exec_mode=cache_describe to the URL%s, "+
		"or connect directly", ErrPoolerExecMode, p.ExecMode, cause, also)
}

// sharedSessions reports whether a and b, two open client connections, are served by one server
// session at different moments, or one of them by different sessions in turn: a pooler in transaction
// mode. Directly, or through a pooler in session mode, each keeps a backend of its own for its whole
// life. PgBouncer gives the next client the server connection released last, so on a quiet pooler the
// first round shows it; the further rounds are for a busy one.
func sharedSessions(ctx context.Context, a, b *pgx.Conn) (bool, error) {
	var firstA, firstB int32
	for i := range 4 {
		pa, err := backendPID(ctx, a)
		if err != nil {
			return false, err
		}
		pb, err := backendPID(ctx, b)
		if err != nil {
			return false, err
		}
		if pa == pb || i > 0 && (pa != firstA || pb != firstB) {
			return true, nil
		}
		firstA, firstB = pa, pb
	}
	return false, nil
}

// backendPID asks in the simple protocol, which works through any pooler whatever the exec mode.
func backendPID(ctx context.Context, q interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}) (int32, error) {
	var pid int32
	err := q.QueryRow(ctx, probeSQL, pgx.QueryExecModeSimpleProtocol).Scan(&pid)
	return pid, err
}

// preparedStatementsFollow prepares a statement on a, makes b hold the server session it ran on (a
// transaction keeps its session), and runs the statement on a again, which the pooler must then serve
// on another session: that works only when the pooler prepares it there itself.
func preparedStatementsFollow(ctx context.Context, a, b *pgx.Conn) error {
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	name := "cohortly_probe_" + hex.EncodeToString(suffix)
	if _, err := a.Prepare(ctx, name, probeSQL); err != nil {
		return err
	}
	defer func() { _ = a.Deallocate(context.Background(), name) }()
	for range 5 {
		var on int32
		if err := a.QueryRow(ctx, name).Scan(&on); err != nil {
			return err
		}
		tx, err := b.Begin(ctx)
		if err != nil {
			return err
		}
		held, err := backendPID(ctx, tx)
		if err != nil {
			_ = tx.Rollback(ctx)
			return err
		}
		if held != on {
			// Another client took that session first; try again.
			_ = tx.Rollback(ctx)
			continue
		}
		var elsewhere int32
		err = a.QueryRow(ctx, name).Scan(&elsewhere)
		_ = tx.Rollback(ctx)
		return err
	}
	return errors.New("could not confirm that prepared statements follow the connection across server sessions (a busy pooler?)")
}

// preparedStatementErr: a prepared statement missing on, or already on, the server session that got
// the statement: what a pooler switching sessions under pgx's statement cache produces.
func preparedStatementErr(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "26000" || pe.Code == "42P05")
}

// execModeName spells m as default_query_exec_mode does in a URL.
func execModeName(m pgx.QueryExecMode) string {
	switch m {
	case pgx.QueryExecModeCacheStatement:
		return "cache_statement"
	case pgx.QueryExecModeCacheDescribe:
		return "cache_describe"
	case pgx.QueryExecModeDescribeExec:
		return "describe_exec"
	case pgx.QueryExecModeExec:
		return "exec"
	case pgx.QueryExecModeSimpleProtocol:
		return "simple_protocol"
	}
	return m.String()
}
