package legacymigrate

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/momentum-cohortly/backends/internal/platform/config"
)

const mainUsage = `Usage: momentum migrate <command> [flags]

Moves Momentum's data between the legacy SQLite database and MongoDB.

Commands:
  dry-run    read, convert and check the legacy database; write nothing (flags of forward)
  forward    migrate a legacy SQLite file into MongoDB (idempotent and resumable)
  verify     compare a legacy SQLite file with MongoDB, document by document
  reverse    export MongoDB into a new legacy SQLite file (rollback), then verify it
  generate   create a synthetic legacy database (tests, benchmarks)

Run 'momentum migrate <command> --help' for the flags of a command.
Environment: MONGODB_URL, DATABASE_NAME (else momentum_dev/momentum_staging/momentum_prod by APP_ENV),
MOMENTUM_SQLITE_PATH (default of --source); a .env file in the working directory is read too.
Exit status: 0 success, 1 failure or differences, 2 bad usage.
`

// Main runs `momentum migrate <command> [flags]`; args are the arguments after "migrate".
func Main(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, mainUsage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	env, err := config.New(getenv, ".env")
	if err != nil {
		fmt.Fprintf(stderr, "momentum migrate: configuration: %v\n", err)
		return 2
	}
	switch cmd {
	case "help", "-h", "--help":
		fmt.Fprint(stdout, mainUsage)
		return 0
	case "forward", "dry-run":
		return runForward(ctx, cmd, rest, env, stdout, stderr)
	case "verify":
		return runVerify(ctx, rest, env, stdout, stderr)
	case "reverse":
		return runReverse(ctx, rest, env, stdout, stderr)
	case "generate":
		return runGenerate(ctx, rest, stdout, stderr)
	}
	fmt.Fprintf(stderr, "momentum migrate: unknown command %q\n\n%s", cmd, mainUsage)
	return 2
}

// defaultDatabase mirrors the server: DATABASE_NAME, else a name per APP_ENV.
func defaultDatabase(env *config.Env) string {
	if n := env.String("DATABASE_NAME", ""); n != "" {
		return n
	}
	switch strings.ToLower(env.String("APP_ENV", "development")) {
	case "production":
		return "momentum_prod"
	case "staging":
		return "momentum_staging"
	}
	return "momentum_dev"
}

type outputFlags struct {
	json     bool
	report   string
	progress string
}

func (of *outputFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&of.json, "json", false, "print the report as JSON on stdout instead of the summary")
	fs.StringVar(&of.report, "report", "", "also write the JSON report to this `file`")
	fs.StringVar(&of.progress, "progress", ProgressAuto, "progress display: auto (live on a terminal, log lines otherwise), tty, log or off")
}

func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("momentum migrate "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: momentum migrate %s [flags]\n\n%s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse returns (exit code, done): --help exits 0, bad flags 2.
func parse(fs *flag.FlagSet, args []string, stdout io.Writer) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, true
		}
		return 2, true
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2, true
	}
	return 0, false
}

func emit(rep *Report, of outputFlags, stdout, stderr io.Writer) int {
	if of.report != "" {
		f, err := os.Create(of.report)
		if err == nil {
			err = writeJSONReport(f, rep)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "momentum migrate: write report %s: %v\n", of.report, err)
			return 1
		}
	}
	if of.json {
		if err := writeJSONReport(stdout, rep); err != nil {
			return 1
		}
	} else {
		rep.writeHuman(stdout)
	}
	if !rep.OK {
		return 1
	}
	return 0
}

func runForward(ctx context.Context, cmd string, args []string, env *config.Env, stdout, stderr io.Writer) int {
	synopsis := `Migrates a legacy SQLite file into MongoDB. Every table is read in id order, converted (see README),
checked for broken references, and written in bulk batches keyed by the legacy ids; a checkpoint per
collection (migration_state) lets an interrupted run resume where it stopped, and a second run over a
finished target changes nothing. Counts are checked per collection, id counters are raised to the
highest legacy id, and the report lists every broken reference, invalid JSON value and odd timestamp.`
	if cmd == "dry-run" {
		synopsis = `Reads, converts and checks the whole legacy database exactly as forward would, and reports what
forward would do. Writes nothing (MongoDB is not contacted).`
	}
	fs := newFlagSet(cmd, synopsis, stderr)
	var o ForwardOptions
	var of outputFlags
	fs.StringVar(&o.Source, "source", env.String("MOMENTUM_SQLITE_PATH", ""), "legacy SQLite `file` (opened read-only; env MOMENTUM_SQLITE_PATH)")
	if cmd == "forward" {
		fs.StringVar(&o.MongoURL, "mongodb-url", env.String("MONGODB_URL", ""), "MongoDB connection `URL` (env MONGODB_URL)")
		fs.StringVar(&o.Database, "database", defaultDatabase(env), "MongoDB database `name` (env DATABASE_NAME, else by APP_ENV)")
		fs.BoolVar(&o.DryRun, "dry-run", false, "do everything but write (same as the dry-run command)")
		fs.StringVar(&o.WriteMode, "write-mode", WriteInsert, "insert (InsertMany, unordered; rows already there are replaced) or upsert (ordered ReplaceOne upserts)")
		fs.BoolVar(&o.Restart, "restart", false, "ignore the checkpoints and rewrite every row (still idempotent)")
		fs.BoolVar(&o.DropTarget, "drop-target", false, "DROP every collection of the model in the target database first")
		fs.BoolVar(&o.AllowNonEmpty, "allow-nonempty", false, "write into a database that has data but no migration checkpoints")
		fs.IntVar(&o.MeasureRawInsert, "measure-raw-insert", 0, "also time a plain InsertMany of `N` documents of the largest table into a scratch collection (interleaved with its migration, then dropped), for comparison")
	} else {
		o.DryRun = true
	}
	fs.StringVar(&o.Orphans, "orphans", OrphansKeep, "rows with broken references: keep (migrate them as they are) or skip (leave them and their dependants out); every one is reported either way")
	fs.StringVar(&o.OddTimestamps, "odd-timestamps", OddTimesKeep, "timestamps not in YYYY-MM-DD HH:MM:SS: keep (convert or null them, original kept in legacy_raw, reported) or fail")
	fs.IntVar(&o.BatchSize, "batch-size", 1000, "rows per read page and bulk write")
	fs.IntVar(&o.MaxIssues, "max-issues", 100_000, "issues listed in detail in the report (all are counted)")
	of.register(fs)
	if code, done := parse(fs, args, stdout); done {
		return code
	}
	o.Progress, o.ProgressOut = of.progress, stderr
	if o.BatchSize == 0 {
		o.BatchSize = -1 // an explicit 0 is an error, not "the default"
	}
	rep, err := Forward(ctx, o)
	if err != nil && rep == nil {
		fmt.Fprintf(stderr, "momentum migrate %s: %v\n", cmd, err)
		return 1
	}
	return emit(rep, of, stdout, stderr)
}

func runVerify(ctx context.Context, args []string, env *config.Env, stdout, stderr io.Writer) int {
	fs := newFlagSet("verify", `Compares the legacy SQLite file with MongoDB per collection: counts, missing and extra ids, every
field of every document (the row converted exactly as forward converts it), reference integrity in
MongoDB, and the id counters. Exits 1 on any difference. After a reverse export, pass the exported file
as --source with --direction reverse.`, stderr)
	var o VerifyOptions
	var of outputFlags
	fs.StringVar(&o.Source, "source", env.String("MOMENTUM_SQLITE_PATH", ""), "legacy SQLite `file` (opened read-only; env MOMENTUM_SQLITE_PATH)")
	fs.StringVar(&o.MongoURL, "mongodb-url", env.String("MONGODB_URL", ""), "MongoDB connection `URL` (env MONGODB_URL)")
	fs.StringVar(&o.Database, "database", defaultDatabase(env), "MongoDB database `name` (env DATABASE_NAME, else by APP_ENV)")
	fs.StringVar(&o.Orphans, "orphans", "", "the policy the migration used: keep or skip (default: as recorded in migration_state, else keep)")
	fs.StringVar(&o.Direction, "direction", DirectionForward, "forward (SQLite is the original) or reverse (SQLite is a reverse export of MongoDB)")
	fs.IntVar(&o.BatchSize, "batch-size", 1000, "rows per page")
	fs.IntVar(&o.MaxDiffs, "max-differences", 10_000, "differences listed in detail (all are counted)")
	of.register(fs)
	if code, done := parse(fs, args, stdout); done {
		return code
	}
	o.Progress, o.Out = of.progress, stderr
	rep, _ := Verify(ctx, o)
	return emit(rep, of, stdout, stderr)
}

func runReverse(ctx context.Context, args []string, env *config.Env, stdout, stderr io.Writer) int {
	fs := newFlagSet("reverse", `Exports the MongoDB database into a NEW SQLite file in the legacy schema (created by the Go server's
SQLite adapter: the legacy tables plus its additive migrations), keeping every id and setting
sqlite_sequence, so the legacy Node server and the Go server on SQLite can both start on it. The file
is written as FILE.partial and renamed when complete, then verified against MongoDB.`, stderr)
	var o ReverseOptions
	var of outputFlags
	fs.StringVar(&o.MongoURL, "mongodb-url", env.String("MONGODB_URL", ""), "MongoDB connection `URL` (env MONGODB_URL)")
	fs.StringVar(&o.Database, "database", defaultDatabase(env), "MongoDB database `name` (env DATABASE_NAME, else by APP_ENV)")
	fs.StringVar(&o.Out, "out", "", "SQLite `file` to create")
	fs.BoolVar(&o.Force, "force", false, "replace --out if it exists")
	fs.BoolVar(&o.NoVerify, "no-verify", false, "skip the verification of the exported file")
	fs.IntVar(&o.BatchSize, "batch-size", 1000, "rows per transaction")
	of.register(fs)
	if code, done := parse(fs, args, stdout); done {
		return code
	}
	o.Progress, o.ProgressOut = of.progress, stderr
	rep, _ := Reverse(ctx, o)
	return emit(rep, of, stdout, stderr)
}

func runGenerate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("generate", `Creates a synthetic legacy Momentum database (the committed file's schema and catalogue) with
restaurants, their users, tasks, checklist statuses, campaigns and sessions, and a sprinkling of broken
references, odd timestamps, odd booleans and invalid JSON. Deterministic for a given --seed.`, stderr)
	var o GenerateOptions
	fs.StringVar(&o.Out, "out", "", "SQLite `file` to create")
	fs.BoolVar(&o.Force, "force", false, "replace --out if it exists")
	fs.IntVar(&o.Restaurants, "restaurants", 1000, "restaurants (each with its own user and 4 tasks)")
	fs.IntVar(&o.Statuses, "statuses", -1, "restaurant_checklist_status rows (default 10 per restaurant; at most 61 per restaurant)")
	fs.IntVar(&o.Campaigns, "campaigns", -1, "campaigns (default one per 2 restaurants)")
	fs.IntVar(&o.Sessions, "sessions", -1, "sessions (default one per 100 restaurants)")
	fs.Float64Var(&o.Defects, "defects", 0.001, "share of rows given each kind of defect (0 for a clean database)")
	fs.Uint64Var(&o.Seed, "seed", 1, "random seed")
	if code, done := parse(fs, args, stdout); done {
		return code
	}
	res, err := Generate(ctx, o)
	if err != nil {
		fmt.Fprintf(stderr, "momentum migrate generate: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "generated %s: %s\n", o.Out, res)
	return 0
}
