package legacymigrate

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/momentum-cohortly/backends/internal/momentum/mongotest"
	"github.com/momentum-cohortly/backends/internal/platform/sqlitefile"
	"github.com/momentum-cohortly/backends/internal/platform/testenv"
)

// childArgsEnv makes the test binary run Main with these (JSON) arguments instead of the tests: the
// kill -9 test and the scale measurement run the migrator as a process of its own.
const childArgsEnv = "LEGACYMIGRATE_CHILD_ARGS"

var ferretURI string

func TestMain(m *testing.M) {
	if a := os.Getenv(childArgsEnv); a != "" {
		var args []string
		if err := json.Unmarshal([]byte(a), &args); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if p := os.Getenv("LEGACYMIGRATE_CPUPROFILE"); p != "" {
			f, err := os.Create(p)
			if err == nil && pprof.StartCPUProfile(f) == nil {
				code := Main(context.Background(), args, os.Getenv, os.Stdout, os.Stderr)
				pprof.StopCPUProfile()
				f.Close()
				os.Exit(code)
			}
		}
		os.Exit(Main(context.Background(), args, os.Getenv, os.Stdout, os.Stderr))
	}
	uri, stop, err := mongotest.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ferretURI = uri
	code := m.Run()
	stop()
	os.Exit(code)
}

// fixture copies the committed legacy database into the test's directory (it is never written).
func fixture(t *testing.T) string { return testenv.CopyFixture(t, "legacy-momentum.sqlite") }

func generated(t *testing.T, o GenerateOptions) (string, GenerateResult) {
	t.Helper()
	o.Out = filepath.Join(t.TempDir(), "generated.sqlite")
	res, err := Generate(context.Background(), o)
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	return o.Out, res
}

func forward(t *testing.T, o ForwardOptions) *Report {
	t.Helper()
	if o.MongoURL == "" {
		o.MongoURL = ferretURI
	}
	rep, err := Forward(context.Background(), o)
	if err != nil {
		t.Fatalf("forward: %v\n%s", err, human(rep))
	}
	return rep
}

func verify(t *testing.T, o VerifyOptions) *Report {
	t.Helper()
	if o.MongoURL == "" {
		o.MongoURL = ferretURI
	}
	rep, err := Verify(context.Background(), o)
	if err != nil {
		t.Fatalf("verify: %v\n%s", err, human(rep))
	}
	return rep
}

func human(rep *Report) string {
	if rep == nil {
		return ""
	}
	var b bytes.Buffer
	rep.writeHuman(&b)
	return b.String()
}

func mongoDB(t *testing.T, name string) *mongo.Database {
	t.Helper()
	c, err := mongo.Connect(options.Client().ApplyURI(ferretURI))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Disconnect(context.Background()) })
	return c.Database(name)
}

// snapshot reads every data collection and the counters, without _id, sorted by key, as extended
// JSON: two databases with equal snapshots hold the same data.
func snapshot(t *testing.T, db *mongo.Database, withID bool) map[string][]string {
	t.Helper()
	ctx := context.Background()
	out := map[string][]string{}
	names := []string{countersColl}
	for _, tb := range tables {
		names = append(names, tb.name)
	}
	for _, n := range names {
		cur, err := db.Collection(n).Find(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		var docs []string
		for cur.Next(ctx) {
			var d bson.D
			if err := cur.Decode(&d); err != nil {
				t.Fatal(err)
			}
			if !withID && n != countersColl {
				d = d[1:] // _id first
			}
			j, err := bson.MarshalExtJSON(d, true, false)
			if err != nil {
				t.Fatal(err)
			}
			docs = append(docs, string(j))
		}
		cur.Close(ctx)
		sort.Strings(docs)
		out[n] = docs
	}
	return out
}

func diffSnapshots(t *testing.T, want, got map[string][]string) {
	t.Helper()
	for n, w := range want {
		g := got[n]
		if len(w) != len(g) {
			t.Errorf("%s: %d documents, want %d", n, len(g), len(w))
			continue
		}
		for i := range w {
			if w[i] != g[i] {
				t.Errorf("%s: document differs:\n got %s\nwant %s", n, g[i], w[i])
				break
			}
		}
	}
}

func openRO(t *testing.T, path string) *sql.DB {
	t.Helper()
	q := url.Values{}
	q.Set("mode", "ro")
	db, err := sql.Open("sqlite", sqlitefile.DSN(path, q))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// sqliteRows renders every row of the legacy tables (column by column, with storage classes) and
// sqlite_sequence, so two files compare exactly regardless of column order or added columns.
func sqliteRows(t *testing.T, path string, onlyCols map[string][]string) map[string][]string {
	t.Helper()
	db := openRO(t, path)
	ctx := context.Background()
	out := map[string][]string{}
	for _, tb := range tables {
		cols := onlyCols[tb.name]
		if cols == nil {
			have, err := tableColumns(ctx, db, tb.name)
			if err != nil {
				t.Fatal(err)
			}
			for c := range have {
				cols = append(cols, c)
			}
			sort.Strings(cols)
		}
		if len(cols) == 0 {
			continue
		}
		var sel []string
		for _, c := range cols {
			sel = append(sel, fmt.Sprintf("'%s=' || typeof(%s) || ':' || quote(%s)", c, quoteIdent(c), quoteIdent(c)))
		}
		rows, err := db.QueryContext(ctx, fmt.Sprintf("SELECT %s FROM %s ORDER BY rowid", strings.Join(sel, " || ' | ' || "), quoteIdent(tb.name)))
		if err != nil {
			t.Fatalf("%s: %v", tb.name, err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out[tb.name] = append(out[tb.name], s)
		}
		rows.Close()
		if tb.textKey {
			// Rows of a table without an integer key have no meaningful rowid order.
			sort.Strings(out[tb.name])
		}
	}
	rows, err := db.QueryContext(ctx, "SELECT name || '=' || seq FROM sqlite_sequence ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out["sqlite_sequence"] = append(out["sqlite_sequence"], s)
	}
	rows.Close()
	return out
}

// legacyColumns lists, per table, the columns the source file has (the reverse export may add the
// Go adapter's columns, which must be NULL there and are compared separately).
func legacyColumns(t *testing.T, path string) map[string][]string {
	t.Helper()
	db := openRO(t, path)
	out := map[string][]string{}
	for _, tb := range tables {
		have, err := tableColumns(context.Background(), db, tb.name)
		if err != nil {
			t.Fatal(err)
		}
		for c := range have {
			out[tb.name] = append(out[tb.name], c)
		}
		sort.Strings(out[tb.name])
	}
	return out
}

func assertSameRows(t *testing.T, orig, exported string) {
	t.Helper()
	cols := legacyColumns(t, orig)
	want := sqliteRows(t, orig, cols)
	got := sqliteRows(t, exported, cols)
	for n, w := range want {
		g := got[n]
		if len(g) != len(w) {
			t.Errorf("%s: %d rows after the round trip, want %d", n, len(g), len(w))
			continue
		}
		for i := range w {
			if g[i] != w[i] {
				t.Errorf("%s row %d differs after the round trip:\n got %s\nwant %s", n, i, g[i], w[i])
				break
			}
		}
	}
}

// runChild runs Main in a separate process (the test binary in child mode).
func runChild(ctx context.Context, args []string, stdout, stderr io.Writer) *exec.Cmd {
	a, _ := json.Marshal(args)
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childArgsEnv+"="+string(a))
	cmd.Stdout, cmd.Stderr = stdout, stderr
	return cmd
}

var _ = time.Second
