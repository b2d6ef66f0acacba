// Package tracing is the services' OpenTelemetry tracing: the SDK's tracer provider exporting OTLP
// over HTTP when the standard OTEL_* variables ask for it, and nothing at all when they do not. Off,
// a *Tracing is nil and every method hands back what it was given (the handler, the log handler, the
// transport), so tracing then costs no allocation and no call on any request path.
//
// On, it gives:
//   - Server: a span per request (otelhttp), the incoming traceparent honoured; Routes, wrapped
//     around the ServeMux, names the span after the matched route pattern ("GET /api/v1/leads");
//   - LogHandler: the request's trace_id and span_id on every log line written with its context;
//   - Transport: client spans for outbound calls (the providers, SendGrid);
//   - Provider, for the database instrumentations (pgxtrace, mongotrace, sqlitefile).
//
// Database and outbound spans are only made within a trace (InTrace): start-up migrations, pool
// maintenance and background sweeps make no root spans of their own.
package tracing

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path"
	"strings"
	"time"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
)

// Config says which service is traced and where its settings come from.
type Config struct {
	// Service is the default service.name; OTEL_SERVICE_NAME overrides it.
	Service string
	// Getenv reads the service's own configuration (its environment and .env file; a test's map).
	Getenv func(string) string
	// ProcessEnv reads the process environment, where the SDK reads its variables itself. Nil:
	// os.Getenv.
	ProcessEnv func(string) string
}

// Tracing is the tracer provider of one process. A nil *Tracing is tracing off.
type Tracing struct {
	provider *sdktrace.TracerProvider
	prop     propagation.TextMapPropagator
	endpoint string
	warnings []string
}

// Variables the service reads itself, through its configuration, to decide whether to trace and
// where to send spans. Everything else (headers, timeout, compression, certificates, sampler, batch
// processor, resource attributes) the SDK reads from the process environment.
const (
	envDisabled       = "OTEL_SDK_DISABLED"
	envExporter       = "OTEL_TRACES_EXPORTER"
	envEndpoint       = "OTEL_EXPORTER_OTLP_ENDPOINT"
	envTracesEndpoint = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
	envProtocol       = "OTEL_EXPORTER_OTLP_PROTOCOL"
	envTracesProtocol = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"
	envServiceName    = "OTEL_SERVICE_NAME"
)

// sdkOnly are the SDK's own trace variables: read from the process environment only.
var sdkOnly = []string{
	"OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS",
	"OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT",
	"OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION",
	"OTEL_EXPORTER_OTLP_CERTIFICATE", "OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE",
	"OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", "OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE",
	"OTEL_EXPORTER_OTLP_CLIENT_KEY", "OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY",
	"OTEL_EXPORTER_OTLP_INSECURE", "OTEL_EXPORTER_OTLP_TRACES_INSECURE",
	"OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG", "OTEL_RESOURCE_ATTRIBUTES",
	"OTEL_BSP_SCHEDULE_DELAY", "OTEL_BSP_EXPORT_TIMEOUT", "OTEL_BSP_MAX_QUEUE_SIZE", "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
	"OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "OTEL_SPAN_EVENT_COUNT_LIMIT", "OTEL_SPAN_LINK_COUNT_LIMIT",
}

// New returns the process's tracing, or nil (tracing off) when the configuration asks for no
// traces: no OTLP endpoint set (and OTEL_TRACES_EXPORTER not otlp), OTEL_TRACES_EXPORTER=none or
// OTEL_SDK_DISABLED=true. Settings this build cannot honour (another exporter or protocol) are an
// error, so a deployment does not believe it is traced when it is not.
func New(ctx context.Context, cfg Config) (*Tracing, error) {
	getenv := cfg.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	procenv := cfg.ProcessEnv
	if procenv == nil {
		procenv = os.Getenv
	}
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }

	if strings.EqualFold(get(envDisabled), "true") {
		return nil, nil
	}
	exporter := strings.ToLower(get(envExporter))
	switch exporter {
	case "", "otlp":
	case "none":
		return nil, nil
	default:
		return nil, fmt.Errorf("%s=%q: this build exports traces with otlp (or none)", envExporter, exporter)
	}
	endpointVar := envTracesEndpoint
	if get(envTracesEndpoint) == "" {
		endpointVar = envEndpoint
	}
	endpoint := get(endpointVar)
	if endpoint == "" && exporter == "" {
		return nil, nil
	}
	for _, k := range []string{envTracesProtocol, envProtocol} {
		if p := get(k); p != "" {
			if p != "http/protobuf" {
				return nil, fmt.Errorf("%s=%q: this build sends OTLP over HTTP (http/protobuf, the collector's port 4318)", k, p)
			}
			break
		}
	}

	t := &Tracing{prop: propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})}
	var opts []otlptracehttp.Option
	// The SDK reads the endpoint from the process environment itself; one that only the service's
	// configuration shows (its .env file, a test's environment) is handed over explicitly, with the
	// SDK's rule: a signal-specific URL as it is, a base URL with /v1/traces after its path.
	if endpoint != "" {
		u, err := url.Parse(endpoint)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("%s=%q: want an http(s) URL", endpointVar, endpoint)
		}
		target := *u
		if endpointVar == envEndpoint {
			target.Path = path.Join(u.Path, "/v1/traces")
		} else if target.Path == "" {
			target.Path = "/"
		}
		if endpoint != strings.TrimSpace(procenv(endpointVar)) {
			opts = append(opts, otlptracehttp.WithEndpointURL(target.String()))
		}
		target.User = nil
		t.endpoint = target.String()
	} else {
		t.endpoint = "http://localhost:4318/v1/traces (the SDK's default)"
	}
	for _, k := range sdkOnly {
		if v := get(k); v != "" && v != strings.TrimSpace(procenv(k)) {
			t.warnings = append(t.warnings, k+" is not in the process environment, where the OpenTelemetry SDK reads it (a .env file does not reach it): export it")
		}
	}

	exp, err := otlptracehttp.New(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("OTLP trace exporter: %w", err)
	}
	resOpts := []resource.Option{
		resource.WithAttributes(semconv.ServiceName(cfg.Service)),
		resource.WithTelemetrySDK(),
		resource.WithHost(),
		resource.WithProcessPID(),
		resource.WithFromEnv(), // OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES
	}
	if name := get(envServiceName); name != "" && name != strings.TrimSpace(procenv(envServiceName)) {
		resOpts = append(resOpts, resource.WithAttributes(semconv.ServiceName(name)))
	}
	res, err := resource.New(ctx, resOpts...)
	if err != nil && !errors.Is(err, resource.ErrPartialResource) {
		return nil, fmt.Errorf("trace resource: %w", err)
	} else if err != nil {
		t.warnings = append(t.warnings, "trace resource: "+err.Error())
	}
	t.provider = sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	return t, nil
}

// Enabled reports whether spans are made and exported.
func (t *Tracing) Enabled() bool { return t != nil }

// Endpoint is where spans go (without credentials), for the start-up log; "" when off.
func (t *Tracing) Endpoint() string {
	if t == nil {
		return ""
	}
	return t.endpoint
}

// Warnings are settings New could not apply, for the start-up log.
func (t *Tracing) Warnings() []string {
	if t == nil {
		return nil
	}
	return t.warnings
}

// Provider is the tracer provider for instrumentations; nil when off (give them nothing, so they are
// not installed at all).
func (t *Tracing) Provider() trace.TracerProvider {
	if t == nil {
		return nil
	}
	return t.provider
}

// Propagator reads and writes trace context in headers (W3C traceparent, tracestate and baggage).
func (t *Tracing) Propagator() propagation.TextMapPropagator {
	if t == nil {
		return propagation.NewCompositeTextMapPropagator()
	}
	return t.prop
}

// ForceFlush exports every ended span now.
func (t *Tracing) ForceFlush(ctx context.Context) error {
	if t == nil {
		return nil
	}
	return t.provider.ForceFlush(ctx)
}

// ShutdownTimeout bounds the final export at exit.
const ShutdownTimeout = 5 * time.Second

// Shutdown exports what is left and stops the exporter; call it after the server has drained, so
// the last requests' spans go out too.
func (t *Tracing) Shutdown(ctx context.Context) error {
	if t == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ShutdownTimeout)
	defer cancel()
	if err := t.provider.Shutdown(ctx); err != nil {
		return fmt.Errorf("tracing shutdown: %w", err)
	}
	return nil
}

// InTrace reports whether ctx belongs to a trace, so that a database or outbound call made with it
// gets a span. A span that has ended still counts: work a request leaves running after its answer
// (Cohortly's welcome email, the router's shadow copy) stays in the request's trace.
func InTrace(ctx context.Context) bool { return trace.SpanContextFromContext(ctx).IsValid() }
