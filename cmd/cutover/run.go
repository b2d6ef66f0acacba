package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/momentum-cohortly/backends/internal/cutover/config"
	"github.com/momentum-cohortly/backends/internal/cutover/difflog"
	"github.com/momentum-cohortly/backends/internal/cutover/presets"
	"github.com/momentum-cohortly/backends/internal/cutover/proxy"
	"github.com/momentum-cohortly/backends/internal/platform/clock"
	pconfig "github.com/momentum-cohortly/backends/internal/platform/config"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
	"github.com/momentum-cohortly/backends/internal/platform/logx"
	"github.com/momentum-cohortly/backends/internal/platform/tracing"
)

const usage = `Usage:
  cutover [serve] (-config FILE | -preset NAME) [flags]   run the router (SIGHUP reloads the config)
  cutover check   (-config FILE | -preset NAME) [flags]   check a config and print its route table
  cutover report  [-config FILE | -preset NAME] [-top N] [-strict] FILE...
                                                          summarize diff logs (oldest first: FILE.2 FILE.1 FILE)
  cutover preset  NAME                                    print an embedded preset (a config to start from)

Presets: %s. Config syntax: README.md, "Cut-over router".

Flags of serve and check:
`

// run is the whole program; main wires the process (signals, environment) to it, so tests run it
// with their own. reload receives one value per SIGHUP.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, reload <-chan struct{}) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve", "check":
		return serveCmd(ctx, cmd, args, getenv, stdout, stderr, reload)
	case "report":
		return reportCmd(args, stdout, stderr)
	case "preset":
		if len(args) != 1 {
			fmt.Fprintf(stderr, "usage: cutover preset NAME (one of %s)\n", strings.Join(presets.Names(), ", "))
			return 2
		}
		b, err := presets.Get(args[0])
		if err != nil {
			fmt.Fprintln(stderr, "cutover:", err)
			return 2
		}
		_, _ = stdout.Write(b)
		return 0
	case "help", "-h", "--help":
		fmt.Fprintf(stdout, usage, strings.Join(presets.Names(), ", "))
		return 0
	}
	fmt.Fprintf(stderr, "cutover: unknown command %q\n\n"+usage, cmd, strings.Join(presets.Names(), ", "))
	return 2
}

type sourceFlags struct {
	config, preset string
}

func (s *sourceFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.config, "config", "", "configuration file (YAML)")
	fs.StringVar(&s.preset, "preset", "", "embedded preset: "+strings.Join(presets.Names(), ", "))
}

// loader returns the function that reads the configuration, now and at every SIGHUP.
func (s *sourceFlags) loader(overrides ...config.Override) (func() (*config.Config, error), error) {
	switch {
	case s.config != "" && s.preset != "":
		return nil, errors.New("give -config or -preset, not both")
	case s.config != "":
		path := s.config
		return func() (*config.Config, error) { return config.Load(path, overrides...) }, nil
	case s.preset != "":
		name := s.preset
		b, err := presets.Get(name)
		if err != nil {
			return nil, err
		}
		return func() (*config.Config, error) { return config.Parse(b, "preset "+name, overrides...) }, nil
	}
	return nil, errors.New("give -config FILE or -preset NAME")
}

func serveCmd(ctx context.Context, cmd string, args []string, getenv func(string) string, stdout, stderr io.Writer, reload <-chan struct{}) int {
	fs := flag.NewFlagSet("cutover "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var src sourceFlags
	src.register(fs)
	listen := fs.String("listen", "", "listen address (overrides the config's listen)")
	admin := fs.String("admin", "", "serve /healthz, /readyz, /metrics and /cutover/routes on this address instead of the main one")
	legacyURLs := fs.String("legacy", "", "legacy backend URLs, comma-separated (overrides backends.legacy.urls)")
	newURLs := fs.String("new", "", "new backend URLs, comma-separated (overrides backends.new.urls)")
	diffLog := fs.String("difflog", "", "diff log file (overrides difflog.path; \"-\" for none)")
	logLevel := fs.String("log-level", "", "debug, info, warn or error (default: LOG_LEVEL, else info)")
	accessLog := fs.Bool("access-log", false, "log one line per proxied request (route, target, status, duration, request id)")
	shutdown := fs.Duration("shutdown-timeout", 20*time.Second, "how long in-flight requests and queued comparisons may take to finish on SIGTERM")
	fs.Usage = func() {
		fmt.Fprintf(stderr, usage, strings.Join(presets.Names(), ", "))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "cutover %s: unexpected arguments %q\n", cmd, fs.Args())
		return 2
	}
	override := func(f *config.File) {
		if *listen != "" {
			f.Listen = *listen
		}
		if *admin != "" {
			f.AdminListen = *admin
		}
		if f.Backends == nil {
			f.Backends = map[string]config.BackendFile{}
		}
		for side, v := range map[string]string{"legacy": *legacyURLs, "new": *newURLs} {
			if v == "" {
				continue
			}
			b := f.Backends[side]
			b.URLs = splitList(v)
			f.Backends[side] = b
		}
		switch *diffLog {
		case "":
		case "-":
			f.DiffLog.Path = ""
		default:
			f.DiffLog.Path = *diffLog
		}
	}
	load, err := src.loader(override)
	if err != nil {
		fmt.Fprintln(stderr, "cutover:", err)
		return 2
	}
	cfg, err := load()
	if err != nil {
		fmt.Fprintln(stderr, "cutover: configuration:", err)
		return 2
	}
	if cmd == "check" {
		printTable(stdout, cfg)
		return 0
	}
	get := getenv
	if *logLevel != "" {
		get = func(k string) string {
			if k == "LOG_LEVEL" {
				return *logLevel
			}
			return getenv(k)
		}
	}
	env, err := pconfig.New(get, "")
	if err != nil {
		fmt.Fprintln(stderr, "cutover:", err)
		return 2
	}
	level := env.LogLevel("LOG_LEVEL", slog.LevelInfo)
	if err := env.Err(); err != nil {
		fmt.Fprintln(stderr, "cutover:", err)
		return 2
	}
	tr, err := tracing.New(ctx, tracing.Config{Service: "cutover", Getenv: func(k string) string { return env.String(k, "") }})
	if err != nil {
		fmt.Fprintln(stderr, "cutover: configuration:", err)
		return 2
	}
	lw := logx.NewBufferedWriter(stdout, 200*time.Millisecond)
	defer lw.Close()
	logger := slog.New(tr.LogHandler(slog.NewJSONHandler(lw, &slog.HandlerOptions{Level: level}))).With(slog.String("service", "cutover"))
	if tr.Enabled() {
		logger.Info("tracing: spans exported over OTLP", slog.String("endpoint", tr.Endpoint()))
		for _, w := range tr.Warnings() {
			logger.Warn("tracing: " + w)
		}
	}
	err = serve(ctx, cfg, load, logger, tr, reload, *shutdown, serveOpts{accessLog: *accessLog})
	// After the drain and the queued comparisons: their spans go out too.
	if terr := tr.Shutdown(ctx); terr != nil {
		logger.Warn("tracing: last spans not exported", slog.String("error", terr.Error()))
	}
	if err != nil {
		logger.Error("cutover stopped", slog.String("error", err.Error()))
		return 1
	}
	return 0
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// serveOpts are serve's settings from flags, and the hooks by which tests follow the server (the
// addresses it listens on, each reload's outcome).
type serveOpts struct {
	accessLog bool // -access-log: one line per request, on the main logger

	onReady  func(main, admin net.Addr)
	onReload func(error)
}

// serve runs the router until ctx ends; tr (nil: off) traces requests and their legs.
func serve(ctx context.Context, cfg *config.Config, load func() (*config.Config, error), logger *slog.Logger,
	tr *tracing.Tracing, reload <-chan struct{}, shutdown time.Duration, h serveOpts) error {
	var dl *difflog.Writer
	if cfg.DiffLog.Path != "" {
		var err error
		if dl, err = difflog.Open(cfg.DiffLog.Path, cfg.DiffLog.MaxBytes, cfg.DiffLog.Keep); err != nil {
			return err
		}
		defer dl.Close()
	}
	var id [6]byte
	_, _ = rand.Read(id[:])
	router, err := proxy.New(cfg, proxy.Deps{Logger: logger, Clock: clock.System(), Registry: prometheus.NewRegistry(),
		DiffLog: dl, Run: hex.EncodeToString(id[:]), Tracing: tr, AccessLog: accessLogger(h.accessLog, logger)})
	if err != nil {
		return err
	}
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-reload:
				err := router.Reload(load)
				if h.onReload != nil {
					h.onReload(err)
				}
			}
		}
	}()

	var mainLn, adminLn net.Listener
	if mainLn, err = net.Listen("tcp", cfg.Listen); err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Listen, err)
	}
	if cfg.AdminListen != "" {
		if adminLn, err = net.Listen("tcp", cfg.AdminListen); err != nil {
			mainLn.Close()
			return fmt.Errorf("listen on %s: %w", cfg.AdminListen, err)
		}
	}
	var wg sync.WaitGroup
	var adminErr error
	if adminLn != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			adminErr = httpx.Serve(ctx, httpx.ServeConfig{Listener: adminLn, Handler: router.AdminHandler(), Logger: logger, ShutdownTimeout: shutdown})
		}()
	}
	err = httpx.Serve(ctx, httpx.ServeConfig{
		Listener: mainLn, Handler: router.Handler(adminLn == nil), Logger: logger, ShutdownTimeout: shutdown,
		OnReady: func(addr net.Addr) {
			var a net.Addr
			if adminLn != nil {
				a = adminLn.Addr()
			}
			logger.Info("cutover listening", slog.String("addr", addr.String()), slog.String("config", cfg.Source),
				slog.String("sha256", cfg.SHA256), slog.Int("rules", len(cfg.Rules)), slog.String("default", cfg.Default.Target.String()),
				slog.Any("legacy", urls(cfg, "legacy")), slog.Any("new", urls(cfg, "new")), slog.String("difflog", cfg.DiffLog.Path))
			if h.onReady != nil {
				h.onReady(addr, a)
			}
		},
	})
	wg.Wait()
	cctx, cancel := context.WithTimeout(context.Background(), shutdown)
	defer cancel()
	_ = router.Close(cctx)
	return errors.Join(err, adminErr)
}

func urls(cfg *config.Config, side string) []string {
	var out []string
	for s, b := range cfg.Backends {
		if string(s) == side {
			for _, u := range b.URLs {
				out = append(out, u.String())
			}
		}
	}
	return out
}

func printTable(w io.Writer, cfg *config.Config) {
	fmt.Fprintf(w, "%s: ok (sha256 %s)\n", cfg.Source, cfg.SHA256[:12])
	fmt.Fprintf(w, "legacy %v, new %v\n", urls(cfg, "legacy"), urls(cfg, "new"))
	for _, r := range cfg.Rules {
		extra := ""
		if r.Claim != "" {
			extra = "  (only tokens carrying " + r.Claim + ")"
		}
		if r.SideEffectFree {
			extra += "  (side-effect free: compared)"
		}
		if r.Name != r.Pattern.String() {
			extra += "  name " + r.Name
		}
		fmt.Fprintf(w, "%3d  %-50s -> %s%s\n", r.Index, r.Pattern.String(), r.Target, extra)
	}
	fmt.Fprintf(w, "     %-50s -> %s\n", "(anything else)", cfg.Default.Target)
}

func reportCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cutover report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var src sourceFlags
	src.register(fs)
	top := fs.Int("top", 10, "differing paths listed per route")
	strict := fs.Bool("strict", false, "exit 1 when a differing path has no explanation")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: cutover report [-config FILE | -preset NAME] [-top N] [-strict] FILE...")
		return 2
	}
	opts := difflog.ReportOptions{TopPaths: *top}
	if src.config != "" || src.preset != "" {
		load, err := src.loader(func(f *config.File) {
			// The report needs only the notes: backends may be missing from a file made for it.
			if f.Backends == nil {
				f.Backends = map[string]config.BackendFile{}
			}
			for _, s := range []string{"legacy", "new"} {
				if b := f.Backends[s]; len(b.URLs) == 0 {
					b.URLs = []string{"http://127.0.0.1:1"}
					f.Backends[s] = b
				}
			}
		})
		if err != nil {
			fmt.Fprintln(stderr, "cutover report:", err)
			return 2
		}
		cfg, err := load()
		if err != nil {
			fmt.Fprintln(stderr, "cutover report: configuration:", err)
			return 2
		}
		opts.Explain = func(routeName, path string, newStatus int) string {
			if e := cfg.Explanation(routeName, path, newStatus); e != "" {
				return e
			}
			if r, ok := cfg.Ignored(routeName, path, newStatus); ok {
				return "noise (ignored now): " + r
			}
			return ""
		}
	}
	var readers []io.Reader
	for _, name := range fs.Args() {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintln(stderr, "cutover report:", err)
			return 2
		}
		defer f.Close()
		readers = append(readers, f)
	}
	sum, err := difflog.Report(stdout, readers, opts)
	if err != nil {
		fmt.Fprintln(stderr, "cutover report:", err)
		return 1
	}
	if *strict && sum.Unexplained > 0 {
		return 1
	}
	return 0
}

func accessLogger(on bool, l *slog.Logger) *slog.Logger {
	if !on {
		return nil
	}
	return l
}
