// Package pgxtrace gives pgx connections their spans: one per query, batch query, prepare and
// connect made within a recording span, through pgx's tracer interface (otelpgx). Spans are named
// after the statement's operation ("SELECT") and carry the statement text (parameters are never
// recorded: they hold personal data), the database, server and user.
package pgxtrace

import (
	"github.com/exaring/otelpgx"
	"github.com/jackc/pgx/v5"
	noopmetric "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"
)

// Tracer is the pgx tracer for tp (set it as pgx.ConnConfig.Tracer), or nil when tp is nil
// (tracing off: pgx then calls no tracer at all).
func Tracer(tp trace.TracerProvider) pgx.QueryTracer {
	if tp == nil {
		return nil
	}
	return otelpgx.NewTracer(
		otelpgx.WithTracerProvider(tp),
		// Database metrics are not ours to add here (the services export Prometheus metrics).
		otelpgx.WithMeterProvider(noopmetric.NewMeterProvider()),
		// A span per pool checkout would double the tree for a wait that is almost always zero.
		otelpgx.WithDisableAcquireTracer(),
	)
}
