// Package mongotrace gives MongoDB commands their spans through the driver's command monitor: one
// client span per command sent within a trace (tracing.InTrace), named "find users" (command and collection),
// with the database, collection, operation and server. Command documents are not recorded: they
// hold the values (emails, password hashes) that SQL statements keep in parameters.
//
// The contrib otelmongo exists for mongo-driver v1 only (its v2 port is excluded from releases), so
// this small monitor is ours.
package mongotrace

import (
	"context"
	"net"
	"strconv"
	"strings"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/momentum-cohortly/backends/internal/platform/tracing"
)

// Monitor returns the command monitor for tp (options.Client().SetMonitor), or nil when tp is nil
// (tracing off: the driver then calls no monitor).
func Monitor(tp trace.TracerProvider) *event.CommandMonitor {
	if tp == nil {
		return nil
	}
	m := &monitor{tracer: tp.Tracer("github.com/momentum-cohortly/backends/internal/platform/tracing/mongotrace"),
		spans: map[int64]trace.Span{}}
	return &event.CommandMonitor{Started: m.started, Succeeded: m.succeeded, Failed: m.failed}
}

type monitor struct {
	tracer trace.Tracer
	mu     sync.Mutex
	spans  map[int64]trace.Span // by request id, unique per client
}

func (m *monitor) started(ctx context.Context, e *event.CommandStartedEvent) {
	if !tracing.InTrace(ctx) {
		return
	}
	coll := collection(e.CommandName, e.Command)
	name := e.CommandName
	attrs := []attribute.KeyValue{
		semconv.DBSystemNameMongoDB,
		semconv.DBNamespace(e.DatabaseName),
		semconv.DBOperationName(e.CommandName),
	}
	if coll != "" {
		name += " " + coll
		attrs = append(attrs, semconv.DBCollectionName(coll))
	}
	if host, port, ok := server(e.ConnectionID); ok {
		attrs = append(attrs, semconv.ServerAddress(host), semconv.ServerPort(port))
	}
	_, span := m.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...))
	m.mu.Lock()
	m.spans[e.RequestID] = span
	m.mu.Unlock()
}

func (m *monitor) end(id int64) trace.Span {
	m.mu.Lock()
	defer m.mu.Unlock()
	span, ok := m.spans[id]
	if ok {
		delete(m.spans, id)
	}
	return span
}

func (m *monitor) succeeded(_ context.Context, e *event.CommandSucceededEvent) {
	if span := m.end(e.RequestID); span != nil {
		span.End()
	}
}

func (m *monitor) failed(_ context.Context, e *event.CommandFailedEvent) {
	span := m.end(e.RequestID)
	if span == nil {
		return
	}
	if e.Failure != nil {
		span.RecordError(e.Failure)
		span.SetStatus(codes.Error, e.Failure.Error())
	} else {
		span.SetStatus(codes.Error, "command failed")
	}
	span.End()
}

// collection is the collection a command works on: the value of its first element for the CRUD
// commands (find, insert, update, delete, aggregate, count, findAndModify, ...), the "collection"
// field of getMore; "" for database commands.
func collection(command string, doc bson.Raw) string {
	if command == "getMore" {
		if v, err := doc.LookupErr("collection"); err == nil {
			s, _ := v.StringValueOK()
			return s
		}
		return ""
	}
	first, err := doc.IndexErr(0)
	if err != nil || first.Key() != command {
		return ""
	}
	s, _ := first.Value().StringValueOK()
	return s
}

// server parses the driver's connection id, "host:port[-N]".
func server(connID string) (string, int, bool) {
	if i := strings.LastIndex(connID, "[-"); i >= 0 {
		connID = connID[:i]
	}
	host, p, err := net.SplitHostPort(connID)
	if err != nil {
		return "", 0, false
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		return "", 0, false
	}
	return host, port, true
}
