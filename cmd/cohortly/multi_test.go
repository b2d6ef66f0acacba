package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/momentum-cohortly/backends/internal/platform/proctest"
	"github.com/momentum-cohortly/backends/internal/platform/testenv"
)

// cohortlyBin is this package's command, built once for the tests that run it as real processes.
var cohortlyBin = proctest.NewBinary("github.com/momentum-cohortly/backends/cmd/cohortly")

func TestMain(m *testing.M) {
	code := m.Run()
	cohortlyBin.Remove()
	os.Exit(code)
}

// The limits the three-instance tests configure (RATE_LIMIT_LOGIN_FAILURES, RATE_LIMIT_AUTH_PER_MINUTE).
const (
	multiFailures   = 5
	multiPerAddress = 20
)

// cluster is a set of instances of one service on one database, and the database.
type cluster struct {
	ps    []*proctest.Process
	dbURL string
}

// at picks the instance of step i: consecutive steps go to different instances, as behind a
// round-robin load balancer.
func (c *cluster) at(i int) string { return c.ps[i%len(c.ps)].URL }

// startCohortly starts n instances at once on dbURL with extra settings over the test defaults.
func startCohortly(t *testing.T, n int, dbURL string, extra map[string]string) *cluster {
	t.Helper()
	env := map[string]string{
		"DATABASE_URL": dbURL, "HOST": "127.0.0.1", "PORT": "0", "BCRYPT_COST": "4",
		// The instances sit behind a proxy: X-Forwarded-For says which client a request is from.
		"TRUST_PROXY":                "true",
		"RATE_LIMIT_LOGIN_FAILURES":  strconv.Itoa(multiFailures),
		"RATE_LIMIT_AUTH_PER_MINUTE": strconv.Itoa(multiPerAddress),
		"COHORTLY_ENV_FILE":          filepath.Join(t.TempDir(), "none.env"),
		"SHUTDOWN_TIMEOUT":           "5s",
	}
	for k, v := range extra {
		env[k] = v
	}
	ps := proctest.StartN(t, cohortlyBin.Path(t), n, proctest.Config{Env: env, ReadyMsg: "cohortly listening", Name: "cohortly"})
	return &cluster{ps: ps, dbURL: dbURL}
}

// clientAddr is a client address no other test (or earlier run against the same Redis) uses, so the
// per-address counters of one test start at zero.
func clientAddr() string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("10.%d.%d.%d", b[0], b[1], b[2])
}

// send makes one request as the client at addr (X-Forwarded-For). Safe in goroutines: a transport
// error is returned, not fatal.
func send(method, url, token, addr string, body any) (answer, error) {
	a, err := proctest.Send(method, url, token, addr, body)
	return answer{a.Status, a.Header, a.Body}, err
}

func (a answer) data() map[string]any {
	d, _ := a.body["data"].(map[string]any)
	return d
}

func (a answer) str(key string) string {
	s, _ := a.data()[key].(string)
	return s
}

// account is a registered student and the session its registration started.
type account struct {
	email, password, access, refresh, id string
}

// register creates a student through instance base.
func register(t *testing.T, base string) account {
	t.Helper()
	acc := account{email: testenv.RandomName("multi") + "@example.com", password: "Password123!"}
	a := mustOK(t)(send("POST", base+"/api/v1/auth/register", "", clientAddr(),
		map[string]any{"email": acc.email, "password": acc.password, "fullName": "Multi Instance"}))
	if a.status != 201 {
		t.Fatalf("register: %d %v", a.status, a.body)
	}
	acc.access, acc.refresh = a.str("accessToken"), a.str("refreshToken")
	acc.id, _ = a.data()["user"].(map[string]any)["id"].(string)
	return acc
}

// mustOK fails the test on a transport error: mustOK(t)(send(...)).
func mustOK(t *testing.T) func(answer, error) answer {
	t.Helper()
	return func(a answer, err error) answer {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
}

// want checks an answer's status and, when msg is not empty, its message.
func want(t *testing.T, what string, a answer, status int, msg string) {
	t.Helper()
	if a.status != status || (msg != "" && a.body["message"] != msg) {
		t.Fatalf("%s: %d %v, want %d %q", what, a.status, a.body, status, msg)
	}
}

// wantLimited checks a 429 in the envelope with a Retry-After of at most limit seconds.
func wantLimited(t *testing.T, what string, a answer, limit int) {
	t.Helper()
	want(t, what, a, 429, "Too many requests, please try again later")
	s, err := strconv.Atoi(a.header.Get("Retry-After"))
	if err != nil || s < 1 || s > limit {
		t.Fatalf("%s: Retry-After %q, want 1..%d seconds", what, a.header.Get("Retry-After"), limit)
	}
}

// concurrently runs n requests at once (f(i) makes request i) and returns their answers.
func concurrently(t *testing.T, n int, f func(i int) (answer, error)) []answer {
	t.Helper()
	return proctest.AtOnce(t, n, f)
}

func statuses(as []answer) tally {
	tl := tally{}
	for _, a := range as {
		tl[a.status]++
	}
	return tl
}

// TestThreeInstancesHoldEveryPromise runs three real cohortly processes on one PostgreSQL database and
// one Redis, started at once (so their migrations race too), and sends each step of every scenario to a
// different instance than the step before.
func TestThreeInstancesHoldEveryPromise(t *testing.T) {
	testenv.Redis(t) // reachable, or the test is Unavailable
	c := startCohortly(t, 3, testenv.PostgresDB(t, "multi_cohortly_", ""), map[string]string{"REDIS_URL": testenv.RedisURL()})

	t.Run("FailedLoginsOfOneAccountAreLimitedAsOne", func(t *testing.T) {
		t.Parallel()
		acc := register(t, c.at(0))
		for i := range multiFailures {
			a := mustOK(t)(send("POST", c.at(i)+"/api/v1/auth/login", "", clientAddr(), map[string]any{"email": acc.email, "password": "wrong-password"}))
			want(t, fmt.Sprintf("failure %d on instance %d", i+1, i%3), a, 401, "Invalid credentials")
		}
		// Locked everywhere, even with the right password, from any address.
		for i := range c.ps {
			a := mustOK(t)(send("POST", c.at(i)+"/api/v1/auth/login", "", clientAddr(), map[string]any{"email": acc.email, "password": acc.password}))
			wantLimited(t, fmt.Sprintf("login after %d failures on instance %d", multiFailures, i), a, 15*60)
		}
	})

	t.Run("ConcurrentFailedLoginsOfOneAccountAreLimitedAsOne", func(t *testing.T) {
		t.Parallel()
		acc := register(t, c.at(1))
		as := concurrently(t, 30, func(i int) (answer, error) {
			return send("POST", c.at(i)+"/api/v1/auth/login", "", clientAddr(), map[string]any{"email": acc.email, "password": "wrong-password"})
		})
		if tl := statuses(as); tl[401] != multiFailures || tl[429] != 30-multiFailures {
			t.Fatalf("30 concurrent wrong passwords over 3 instances: %v; want %d x401 (the limit) and the rest 429", tl, multiFailures)
		}
		for i := range c.ps {
			a := mustOK(t)(send("POST", c.at(i)+"/api/v1/auth/login", "", clientAddr(), map[string]any{"email": acc.email, "password": acc.password}))
			wantLimited(t, fmt.Sprintf("login on instance %d", i), a, 15*60)
		}
	})

	t.Run("PerAddressLimitIsOneLimit", func(t *testing.T) {
		t.Parallel()
		addr := clientAddr()
		// Unknown accounts, so only the address counts.
		as := concurrently(t, multiPerAddress+10, func(i int) (answer, error) {
			return send("POST", c.at(i)+"/api/v1/auth/login", "", addr, map[string]any{"email": fmt.Sprintf("nobody%d-%s@example.com", i, addr), "password": "whatever1"})
		})
		if tl := statuses(as); tl[401] != multiPerAddress || tl[429] != 10 {
			t.Fatalf("%d concurrent logins from one address over 3 instances: %v; want %d x401 and 10 x429", multiPerAddress+10, tl, multiPerAddress)
		}
		for i := range c.ps {
			a := mustOK(t)(send("POST", c.at(i)+"/api/v1/auth/register", "", addr,
				map[string]any{"email": testenv.RandomName("addr") + "@example.com", "password": "Password123!", "fullName": "Too Many"}))
			wantLimited(t, fmt.Sprintf("register from the limited address on instance %d", i), a, 60)
		}
		// Another address is not affected.
		a := mustOK(t)(send("POST", c.at(0)+"/api/v1/auth/login", "", clientAddr(), map[string]any{"email": testenv.RandomName("nobody") + "@example.com", "password": "whatever1"}))
		want(t, "another address", a, 401, "Invalid credentials")
	})

	t.Run("LogoutAllEndsRefreshEverywhere", func(t *testing.T) {
		t.Parallel()
		acc := register(t, c.at(0)) // session 1
		login := mustOK(t)(send("POST", c.at(1)+"/api/v1/auth/login", "", clientAddr(), map[string]any{"email": acc.email, "password": acc.password}))
		want(t, "login", login, 200, "")
		second := login.str("refreshToken") // session 2
		// Session 1 works on another instance before the logout.
		r := mustOK(t)(send("POST", c.at(2)+"/api/v1/auth/refresh", "", clientAddr(), map[string]any{"refreshToken": acc.refresh}))
		want(t, "refresh before logout-all", r, 200, "")
		first := r.str("refreshToken")

		want(t, "logout-all", mustOK(t)(send("POST", c.at(0)+"/api/v1/auth/logout-all", acc.access, clientAddr(), nil)), 200, "Logged out from all devices")
		for i, tok := range []string{first, second, first, second} {
			a := mustOK(t)(send("POST", c.at(i+1)+"/api/v1/auth/refresh", "", clientAddr(), map[string]any{"refreshToken": tok}))
			want(t, fmt.Sprintf("refresh of session %d on instance %d after logout-all", i%2+1, (i+1)%3), a, 401, "Refresh token not found")
		}
	})

	t.Run("DeactivatedUserIsRefusedEverywhere", func(t *testing.T) {
		t.Parallel()
		acc := register(t, c.at(0))
		for i := range c.ps { // every instance has seen the user (and the token) before
			want(t, fmt.Sprintf("me on instance %d", i), mustOK(t)(send("GET", c.at(i)+"/api/v1/auth/me", acc.access, "", nil)), 200, "")
		}
		// Deactivation is an operator's write to the database (the API has no endpoint for it).
		sql(t, c.dbURL, `UPDATE users SET is_active = false WHERE id = $1`, acc.id)
		for i := range c.ps {
			want(t, fmt.Sprintf("me on instance %d", i), mustOK(t)(send("GET", c.at(i)+"/api/v1/auth/me", acc.access, "", nil)), 401, "Account is inactive")
			want(t, fmt.Sprintf("leads on instance %d", i), mustOK(t)(send("GET", c.at(i)+"/api/v1/bootcamps", acc.access, "", nil)), 401, "Account is inactive")
		}
		want(t, "refresh", mustOK(t)(send("POST", c.at(1)+"/api/v1/auth/refresh", "", clientAddr(), map[string]any{"refreshToken": acc.refresh})), 401, "Account is inactive")
		want(t, "login", mustOK(t)(send("POST", c.at(2)+"/api/v1/auth/login", "", clientAddr(), map[string]any{"email": acc.email, "password": acc.password})), 401, "Account is inactive")
	})

	t.Run("ConcurrentRefreshesHaveOneWinner", func(t *testing.T) {
		t.Parallel()
		acc := register(t, c.at(0))
		as := concurrently(t, 8, func(i int) (answer, error) {
			return send("POST", c.at(i)+"/api/v1/auth/refresh", "", clientAddr(), map[string]any{"refreshToken": acc.refresh})
		})
		winner := ""
		for i, a := range as {
			switch {
			case a.status == 200 && winner == "":
				winner = a.str("refreshToken")
			case a.status == 401 && a.body["message"] == "Refresh token has already been used":
			default:
				t.Fatalf("refresh %d on instance %d: %d %v (answers %v)", i, i%3, a.status, a.body, statuses(as))
			}
		}
		if winner == "" {
			t.Fatalf("no winner among 8 concurrent refreshes: %v", statuses(as))
		}
		// The losers presented a rotated token: that is reuse, and it revoked the family, the winner's
		// new token included, on every instance.
		for i := range c.ps {
			a := mustOK(t)(send("POST", c.at(i)+"/api/v1/auth/refresh", "", clientAddr(), map[string]any{"refreshToken": winner}))
			want(t, fmt.Sprintf("the winner's token on instance %d", i), a, 401, "Refresh token not found")
		}
	})

	t.Run("ReuseRevokesTheFamilyEverywhere", func(t *testing.T) {
		t.Parallel()
		acc := register(t, c.at(0))
		other := mustOK(t)(send("POST", c.at(0)+"/api/v1/auth/login", "", clientAddr(), map[string]any{"email": acc.email, "password": acc.password}))
		want(t, "second session", other, 200, "")
		r1 := mustOK(t)(send("POST", c.at(1)+"/api/v1/auth/refresh", "", clientAddr(), map[string]any{"refreshToken": acc.refresh}))
		want(t, "first rotation", r1, 200, "")
		r2 := mustOK(t)(send("POST", c.at(2)+"/api/v1/auth/refresh", "", clientAddr(), map[string]any{"refreshToken": r1.str("refreshToken")}))
		want(t, "second rotation", r2, 200, "")
		// A replay of the first token, on yet another instance.
		want(t, "reuse", mustOK(t)(send("POST", c.at(0)+"/api/v1/auth/refresh", "", clientAddr(), map[string]any{"refreshToken": acc.refresh})), 401, "Refresh token has already been used")
		for i := range c.ps {
			a := mustOK(t)(send("POST", c.at(i)+"/api/v1/auth/refresh", "", clientAddr(), map[string]any{"refreshToken": r2.str("refreshToken")}))
			want(t, fmt.Sprintf("the current token of the family on instance %d", i), a, 401, "Refresh token not found")
		}
		// The other session is another family: untouched.
		want(t, "other family", mustOK(t)(send("POST", c.at(1)+"/api/v1/auth/refresh", "", clientAddr(), map[string]any{"refreshToken": other.str("refreshToken")})), 200, "")
	})
}

// sql runs one statement on the test database.
func sql(t *testing.T, dbURL, stmt string, args ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, stmt, args...); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

// TestThreeInstancesWithoutSharedCounts shows what the README says of running several instances
// without Redis, and with a Redis that went away: logins keep working, and the limits hold per
// instance, so three instances allow three times the failures of one.
func TestThreeInstancesWithoutSharedCounts(t *testing.T) {
	dbURL := testenv.PostgresDB(t, "multi_cohortly_", "")
	// One migration before the two groups start, so they do not wait on each other's.
	startCohortly(t, 1, dbURL, nil).ps[0].Stop()

	t.Run("RedisUnsetInProduction", func(t *testing.T) {
		t.Parallel()
		c := startCohortly(t, 3, dbURL, map[string]string{
			"NODE_ENV": "production", "BCRYPT_COST": "10",
			"JWT_ACCESS_SECRET": strings.Repeat("a", 40), "JWT_REFRESH_SECRET": strings.Repeat("r", 40),
		})
		for i, p := range c.ps {
			if n := len(p.LogLines("REDIS_URL is not set: login rate limits are counted per instance, so N instances allow N times the attempts; set REDIS_URL when more than one instance runs")); n != 1 {
				t.Errorf("instance %d logged %d warnings about REDIS_URL at start-up, want 1:\n%s", i, n, p.Logs())
			}
		}
		limitedPerInstance(t, c)
	})

	t.Run("RedisUnreachable", func(t *testing.T) {
		t.Parallel()
		redisURL, px := testenv.RedisBehindProxy(t)
		c := startCohortly(t, 3, dbURL, map[string]string{"REDIS_URL": redisURL})
		acc := register(t, c.at(0))

		px.Cut()
		// Logins go on: with the right password on every instance...
		for i := range c.ps {
			a := mustOK(t)(send("POST", c.at(i)+"/api/v1/auth/login", "", clientAddr(), map[string]any{"email": acc.email, "password": acc.password}))
			want(t, fmt.Sprintf("login on instance %d with Redis down", i), a, 200, "Login successful")
			// (the refresh goes through the per-address limit too)
			r := mustOK(t)(send("POST", c.at(i+1)+"/api/v1/auth/refresh", "", clientAddr(), map[string]any{"refreshToken": a.str("refreshToken")}))
			want(t, fmt.Sprintf("refresh on instance %d with Redis down", (i+1)%3), r, 200, "Token refreshed successfully")
		}
		// ...and failures are limited per instance.
		limitedPerInstance(t, c)
		for i, p := range c.ps {
			if err := p.Stop(); err != nil { // the log is buffered: all of it is out once the process is
				t.Fatal(err)
			}
			if n := len(p.LogLines("rate-limit store unreachable: counting per instance until it is back (N instances allow N times the attempts)")); n != 1 {
				t.Errorf("instance %d logged %d warnings about Redis, want 1:\n%s", i, n, p.Logs())
			}
		}
	})
}

// limitedPerInstance: one account's failures are counted by each instance on its own, so each
// instance allows multiFailures of them and the three together three times as many.
func limitedPerInstance(t *testing.T, c *cluster) {
	t.Helper()
	acc := register(t, c.at(0))
	failures := 0
	for i := range c.ps {
		for range multiFailures {
			a := mustOK(t)(send("POST", c.at(i)+"/api/v1/auth/login", "", clientAddr(), map[string]any{"email": acc.email, "password": "wrong-password"}))
			want(t, fmt.Sprintf("failure %d, on instance %d", failures+1, i), a, 401, "Invalid credentials")
			failures++
		}
		a := mustOK(t)(send("POST", c.at(i)+"/api/v1/auth/login", "", clientAddr(), map[string]any{"email": acc.email, "password": "wrong-password"}))
		wantLimited(t, fmt.Sprintf("instance %d after its own %d failures", i, multiFailures), a, 15*60)
	}
	if failures != len(c.ps)*multiFailures {
		t.Fatalf("%d failures reached the password check, want %d", failures, len(c.ps)*multiFailures)
	}
}
