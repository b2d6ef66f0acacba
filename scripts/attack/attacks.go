package main

import (
	"bufio"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "modernc.org/sqlite"
)

// hostile values for a path parameter: each decodes to something with separators and dot segments.
var hostileParams = []string{
	"A%2F..%2F..%2F..%2Fdashboard%2Fadmin",
	"..%2F..%2Fa%2Fb",
	"x%2F..%2F..%2Fbootcamps%2F1",
	"%2E%2E%2F%2E%2E%2Fapi",
	"NaN%2F..%2F..%2Fauth%2Fme",
	"a%252F..%252Fb",
	"%2F%2Fevil.example",
	"1%2F",
}

var paramRE = regexp.MustCompile(`\{[^}]+\}`)

// attackPaths sends every documented operation with a path parameter, each parameter replaced by the
// hostile values, as sent and with a capital letter and a trailing slash (the two forms that took the
// decoded-path rewrite), with and without a token. No answer may be a redirect or a server error.
func attackPaths(e *env) []result {
	var out []result
	for _, svc := range []struct{ name, bin, email, password string }{
		{"momentum", e.momentum, "admin@momentum.com", "admin123"},
		{"cohortly", e.cohortly, "admin@bootcamp.com", "Password123!"},
	} {
		port := e.nextPort()
		dir := filepath.Join(e.dir, "paths-"+svc.name)
		_ = os.MkdirAll(dir, 0o755)
		envs := []string{"MOMENTUM_SQLITE_PATH=" + filepath.Join(dir, "m.db"), "COHORTLY_SQLITE_PATH=" + filepath.Join(dir, "c.db"),
			"UPLOAD_DIR=" + filepath.Join(dir, "up"), "ADMIN_EMAIL=admin@momentum.com", "ADMIN_PASSWORD=admin123"}
		token := ""
		if svc.name == "cohortly" {
			if err := seed(e.cohortly, envs); err != nil {
				out = append(out, failed("paths", svc.name, err)...)
				continue
			}
		}
		s, err := start(svc.name, svc.bin, port, envs...)
		if err != nil {
			out = append(out, failed("paths", svc.name, err)...)
			continue
		}
		if svc.name == "momentum" {
			token = momentumLogin(s.base, svc.email, svc.password)
		} else {
			token = cohortlyLogin(s.base, svc.email, svc.password)
		}
		ops, err := documentedOps(s.base)
		if err != nil {
			s.kill()
			out = append(out, failed("paths", svc.name, err)...)
			continue
		}
		r := result{attack: "paths", service: svc.name, statuses: tally{}, ok: token != ""}
		var redirects []string
		for _, op := range ops {
			if !strings.Contains(op.path, "{") {
				continue
			}
			for _, v := range hostileParams {
				p := paramRE.ReplaceAllString(op.path, v)
				for _, form := range []string{p, strings.Replace(p, "/api/", "/API/", 1), p + "/"} {
					for _, tok := range []string{"", token} {
						a := call(op.method, s.base+form, tok, "{}")
						r.sent++
						r.statuses[a.status]++
						if a.status >= 300 && a.status < 400 || a.status >= 500 || a.status == 0 {
							redirects = append(redirects, fmt.Sprintf("%s %s -> %d %s", op.method, form, a.status, a.header.Get("Location")))
						}
					}
				}
			}
		}
		s.kill()
		r.ok = r.ok && len(redirects) == 0
		r.note = fmt.Sprintf("%d operations with parameters; redirects or 5xx: %d", len(ops), len(redirects))
		if len(redirects) > 0 {
			r.note += "; first: " + redirects[0]
		}
		if token == "" {
			r.note += "; admin login failed"
		}
		out = append(out, r)
	}
	return out
}

type op struct{ method, path string }

func documentedOps(base string) ([]op, error) {
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	resp, err := client.Get(base + "/openapi.json")
	if err != nil {
		return nil, fmt.Errorf("get the OpenAPI document: %w", err)
	}
	defer resp.Body.Close()
	if err := jsonDecode(resp, &doc); err != nil {
		return nil, fmt.Errorf("read the OpenAPI document: %w", err)
	}
	var ops []op
	for p, methods := range doc.Paths {
		for m := range methods {
			switch m {
			case "get", "post", "put", "patch", "delete":
				ops = append(ops, op{strings.ToUpper(m), p})
			}
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].path+ops[i].method < ops[j].path+ops[j].method })
	return ops, nil
}

func seed(bin string, envs []string) error {
	cmd := exec.Command(bin, "seed")
	cmd.Env = append(os.Environ(), envs...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("cohortly seed: %w: %s", err, out)
	}
	return nil
}

// attackForwardedFor: behind one proxy (TRUST_PROXY=true), a client that writes a new left-most
// X-Forwarded-For entry on every attempt must still be limited as one address (the one the proxy
// appended), while distinct clients behind that proxy are not limited together.
func attackForwardedFor(e *env) []result {
	const limit = 20
	dir := filepath.Join(e.dir, "xff")
	_ = os.MkdirAll(dir, 0o755)
	s, err := start("cohortly", e.cohortly, e.nextPort(), "COHORTLY_SQLITE_PATH="+filepath.Join(dir, "c.db"),
		"TRUST_PROXY=true", fmt.Sprintf("RATE_LIMIT_AUTH_PER_MINUTE=%d", limit))
	if err != nil {
		return failed("xff", "cohortly", err)
	}
	defer s.kill()
	attempt := func(xff string) int {
		return call("POST", s.base+"/api/v1/auth/login", "", jsonBody(map[string]string{
			"email": fmt.Sprintf("nobody%d@example.com", rand.IntN(1e9)), "password": "wrong-password"}),
			"X-Forwarded-For", xff).status
	}
	forged := result{attack: "xff", service: "cohortly", statuses: tally{}}
	for i := 0; i < 2*limit; i++ {
		forged.statuses[attempt(fmt.Sprintf("%d.%d.%d.%d, 198.51.100.7", rand.IntN(223)+1, rand.IntN(256), rand.IntN(256), rand.IntN(256)))]++
		forged.sent++
	}
	forged.ok = forged.statuses[http.StatusTooManyRequests] == limit
	forged.note = fmt.Sprintf("one client forging the left-most entry, limit %d/min: want %d x429", limit, limit)
	distinct := result{attack: "xff", service: "cohortly", statuses: tally{}}
	for i := 0; i < 2*limit; i++ {
		distinct.statuses[attempt(fmt.Sprintf("198.51.100.7, 203.0.113.%d", i+1))]++
		distinct.sent++
	}
	distinct.ok = distinct.statuses[http.StatusTooManyRequests] == 0
	distinct.note = "distinct clients behind one proxy: want no 429"
	return []result{forged, distinct}
}

// attackPostgresOutage stops the service's PostgreSQL (immediate mode: backends killed) while four
// workers create leads, starts it again, and checks that every answer in between was a 503 (never a
// 500), that writes succeed again by themselves, and that every acknowledged lead is there.
func attackPostgresOutage(e *env) []result {
	dir := filepath.Join(e.dir, "pg")
	_ = os.MkdirAll(dir, 0o755)
	pg, err := newPGCluster(dir, e.nextPort())
	if err != nil {
		return failed("pg-outage", "cohortly", err)
	}
	defer func() { _ = pg.stopNow() }()
	if err := pg.createDB("attack"); err != nil {
		return failed("pg-outage", "cohortly", err)
	}
	envs := []string{"DATABASE_URL=" + pg.url("attack")}
	if err := seed(e.cohortly, envs); err != nil {
		return failed("pg-outage", "cohortly", err)
	}
	s, err := start("cohortly", e.cohortly, e.nextPort(), envs...)
	if err != nil {
		return failed("pg-outage", "cohortly", err)
	}
	defer s.kill()
	token := cohortlyLogin(s.base, "admin@bootcamp.com", "Password123!")
	if token == "" {
		return failed("pg-outage", "cohortly", errors.New("admin login failed"))
	}
	var (
		st        safeTally
		mu        sync.Mutex
		acked     []string
		firstOK   time.Time
		restarted time.Time
		wg        sync.WaitGroup
	)
	stop := make(chan struct{})
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				a := call("POST", s.base+"/api/v1/leads", token, jsonBody(map[string]string{
					"fullName": "Outage Lead", "email": fmt.Sprintf("lead%d@example.com", rand.IntN(1e9)),
					"phone": "+14155550123", "source": "WEBSITE"}))
				st.add(a.status)
				if a.status == http.StatusCreated {
					mu.Lock()
					acked = append(acked, str(a.body, "data", "id"))
					if !restarted.IsZero() && firstOK.IsZero() {
						firstOK = time.Now()
					}
					mu.Unlock()
				}
				if a.status == http.StatusServiceUnavailable {
					time.Sleep(20 * time.Millisecond) // a client honouring Retry-After would wait longer
				}
			}
		}()
	}
	time.Sleep(3 * time.Second)
	stopErr := pg.stopNow()
	readyDuring := call("GET", s.base+"/readyz", "", "").status
	time.Sleep(3 * time.Second)
	startErr := pg.start()
	mu.Lock()
	restarted = time.Now()
	mu.Unlock()
	time.Sleep(3 * time.Second)
	close(stop)
	wg.Wait()
	present := 0
	for _, id := range acked {
		if call("GET", s.base+"/api/v1/leads/"+id, token, "").status == http.StatusOK {
			present++
		}
	}
	r := result{attack: "pg-outage", service: "cohortly", statuses: st.t, sent: st.t.sum(),
		writes: fmt.Sprintf("%d acknowledged, %d present", len(acked), present)}
	recovery := "never"
	if !firstOK.IsZero() {
		recovery = firstOK.Sub(restarted).Round(time.Millisecond).String()
	}
	r.ok = stopErr == nil && startErr == nil && st.t[500] == 0 && st.t[0] == 0 && st.t[503] > 0 &&
		present == len(acked) && !firstOK.IsZero() && readyDuring == http.StatusServiceUnavailable
	r.note = fmt.Sprintf("PostgreSQL stopped 3 s (immediate); /readyz during: %d; first write after restart: %s", readyDuring, recovery)
	return []result{r}
}

// attackFullDisk puts each service's SQLite file on a small tmpfs, fills the filesystem, and checks
// that writes answer 507, /readyz says not ready, a refused registration leaves nothing behind (the
// same email registers later), and that the service recovers once space is freed.
func attackFullDisk(e *env) []result {
	var out []result
	for _, svc := range []string{"momentum", "cohortly"} {
		dir := filepath.Join(e.dir, "disk-"+svc)
		_ = os.MkdirAll(dir, 0o755)
		if b, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", dir).CombinedOutput(); err != nil {
			out = append(out, failed("full-disk", svc, fmt.Errorf("mount a 4 MiB tmpfs (needs root): %v: %s", err, b))...)
			continue
		}
		out = append(out, fullDisk(e, svc, dir))
		_ = exec.Command("umount", "-l", dir).Run()
	}
	return out
}

func fullDisk(e *env, svc, dir string) result {
	r := result{attack: "full-disk", service: svc, statuses: tally{}}
	bin, envs := e.momentum, []string{"MOMENTUM_SQLITE_PATH=" + filepath.Join(dir, "db.sqlite"), "UPLOAD_DIR=" + filepath.Join(e.dir, "up-disk"), "BCRYPT_COST=4"}
	if svc == "cohortly" {
		bin, envs = e.cohortly, []string{"COHORTLY_SQLITE_PATH=" + filepath.Join(dir, "db.sqlite"), "BCRYPT_COST=4"}
	}
	s, err := start(svc, bin, e.nextPort(), envs...)
	if err != nil {
		return failed("full-disk", svc, err)[0]
	}
	defer s.kill()
	reg := func(email string) int {
		status := register(svc, s.base, email)
		r.sent++
		r.statuses[status]++
		return status
	}
	var acked, refused []string
	for i := 0; i < 5; i++ {
		email := fmt.Sprintf("before%d@example.com", i)
		if reg(email) == http.StatusCreated {
			acked = append(acked, email)
		}
	}
	filler := filepath.Join(dir, "filler")
	if err := fill(filler); err != nil {
		return failed("full-disk", svc, err)[0]
	}
	// The database may still have free pages: write until the disk refuses, at most 2000 attempts.
	for i := 0; i < 2000 && len(refused) < 10; i++ {
		email := fmt.Sprintf("full%d@example.com", i)
		switch reg(email) {
		case http.StatusCreated:
			acked = append(acked, email)
		case http.StatusInsufficientStorage:
			refused = append(refused, email)
		}
	}
	readyFull := call("GET", s.base+"/readyz", "", "").status
	_ = os.Remove(filler)
	recovered := 0
	for _, email := range refused {
		if reg(email) == http.StatusCreated { // nothing was left behind by the refused attempt
			recovered++
			acked = append(acked, email)
		}
	}
	readyAfter := call("GET", s.base+"/readyz", "", "").status
	present := 0
	for _, email := range acked {
		if loginStatus(svc, s.base, email) == http.StatusOK {
			present++
		}
	}
	r.writes = fmt.Sprintf("%d acknowledged, %d present; %d refused with 507 registered again after freeing space: %d", len(acked), present, len(refused), recovered)
	r.ok = len(refused) > 0 && r.statuses[500] == 0 && r.statuses[0] == 0 && readyFull == http.StatusServiceUnavailable &&
		readyAfter == http.StatusOK && recovered == len(refused) && present == len(acked)
	r.note = fmt.Sprintf("4 MiB tmpfs filled; /readyz while full: %d, after a write succeeded: %d", readyFull, readyAfter)
	return r
}

// fill writes a file until the filesystem has no space left.
func fill(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create filler: %w", err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				return nil
			}
			return fmt.Errorf("fill the disk: %w", err)
		}
	}
}

// attackBigBody writes a whole 1.1 MB JSON body, the way Python's urllib does, before reading the
// answer: the 413 must arrive instead of a connection reset.
func attackBigBody(e *env) []result {
	var out []result
	dir := filepath.Join(e.dir, "big")
	_ = os.MkdirAll(dir, 0o755)
	for _, svc := range []struct{ name, bin, path string }{
		{"momentum", e.momentum, "/api/auth/login"},
		{"cohortly", e.cohortly, "/api/v1/auth/login"},
	} {
		s, err := start(svc.name, svc.bin, e.nextPort(), "MOMENTUM_SQLITE_PATH="+filepath.Join(dir, "m.db"),
			"COHORTLY_SQLITE_PATH="+filepath.Join(dir, "c.db"), "UPLOAD_DIR="+filepath.Join(dir, "up"))
		if err != nil {
			out = append(out, failed("big-body", svc.name, err)...)
			continue
		}
		body := `{"email":"a@b.c","password":"` + strings.Repeat("x", 1100*1000) + `"}`
		r := result{attack: "big-body", service: svc.name, statuses: tally{}}
		for i := 0; i < 20; i++ {
			r.statuses[wholeBodyFirst(strings.TrimPrefix(s.base, "http://"), svc.path, body)]++
			r.sent++
		}
		s.kill()
		r.ok = r.statuses[http.StatusRequestEntityTooLarge] == r.sent
		r.note = "1.1 MB body written whole before reading; want 413 every time (conn-error = reset)"
		out = append(out, r)
	}
	return out
}

func wholeBodyFirst(addr, path, body string) int {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return 0
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(15 * time.Second))
	req := fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", path, addr, len(body), body)
	if _, err := c.Write([]byte(req)); err != nil {
		return 0
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// attackShutdown holds a request open (its body never finishes) past SHUTDOWN_TIMEOUT and sends
// SIGTERM: the process must exit 0 and log the forced close with the count of requests cut off.
func attackShutdown(e *env) []result {
	var out []result
	dir := filepath.Join(e.dir, "shutdown")
	_ = os.MkdirAll(dir, 0o755)
	for _, svc := range []struct{ name, bin, path string }{
		{"momentum", e.momentum, "/api/auth/login"},
		{"cohortly", e.cohortly, "/api/v1/auth/login"},
	} {
		s, err := start(svc.name, svc.bin, e.nextPort(), "SHUTDOWN_TIMEOUT=1s", "MOMENTUM_SQLITE_PATH="+filepath.Join(dir, "m.db"),
			"COHORTLY_SQLITE_PATH="+filepath.Join(dir, "c.db"), "UPLOAD_DIR="+filepath.Join(dir, "up"))
		if err != nil {
			out = append(out, failed("shutdown", svc.name, err)...)
			continue
		}
		c, err := net.Dial("tcp", strings.TrimPrefix(s.base, "http://"))
		if err != nil {
			s.kill()
			out = append(out, failed("shutdown", svc.name, err)...)
			continue
		}
		_, _ = fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"email\":", svc.path)
		time.Sleep(200 * time.Millisecond) // the server is now inside the handler, reading the body
		t0 := time.Now()
		code, stopErr := s.stop(10 * time.Second)
		took := time.Since(t0)
		c.Close()
		forced := logLines(s, "forced shutdown", `"requests_cut_off":1`)
		r := result{attack: "shutdown", service: svc.name, sent: 1, statuses: tally{}}
		r.ok = stopErr == nil && code == 0 && len(forced) == 1
		r.note = fmt.Sprintf("SHUTDOWN_TIMEOUT=1s, one request held open: exit %d after %s; forced-shutdown log lines with requests_cut_off=1: %d",
			code, took.Round(10*time.Millisecond), len(forced))
		out = append(out, r)
	}
	return out
}

// attackKill9 kills each service with SIGKILL while four workers write, restarts it on the same
// SQLite file and checks that every acknowledged write is there and the file passes integrity_check.
func attackKill9(e *env) []result {
	var out []result
	for _, svc := range []string{"momentum", "cohortly"} {
		dir := filepath.Join(e.dir, "kill9-"+svc)
		_ = os.MkdirAll(dir, 0o755)
		db := filepath.Join(dir, "db.sqlite")
		bin, envs := e.momentum, []string{"MOMENTUM_SQLITE_PATH=" + db, "UPLOAD_DIR=" + filepath.Join(dir, "up"), "BCRYPT_COST=4"}
		if svc == "cohortly" {
			bin, envs = e.cohortly, []string{"COHORTLY_SQLITE_PATH=" + db, "BCRYPT_COST=4", "RATE_LIMIT_AUTH_PER_MINUTE=1000000"}
		}
		port := e.nextPort()
		s, err := start(svc, bin, port, envs...)
		if err != nil {
			out = append(out, failed("kill9", svc, err)...)
			continue
		}
		var (
			st    safeTally
			mu    sync.Mutex
			acked []string
			wg    sync.WaitGroup
		)
		stop := make(chan struct{})
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					email := fmt.Sprintf("k%d@example.com", rand.IntN(1e12))
					status := register(svc, s.base, email)
					st.add(status)
					if status == http.StatusCreated {
						mu.Lock()
						acked = append(acked, email)
						mu.Unlock()
					}
				}
			}()
		}
		time.Sleep(1500 * time.Millisecond)
		s.kill()
		close(stop)
		wg.Wait()
		integrity := integrityCheck(db)
		// Look in the file itself: logins would soon meet the per-address limit (300 a minute).
		s2, err := start(svc, bin, port, envs...)
		if err != nil {
			out = append(out, failed("kill9", svc, fmt.Errorf("restart after kill -9: %w", err))...)
			continue
		}
		s2.kill()
		stored, err := storedEmails(db)
		if err != nil {
			out = append(out, failed("kill9", svc, err)...)
			continue
		}
		present := 0
		for _, email := range acked {
			if stored[email] {
				present++
			}
		}
		r := result{attack: "kill9", service: svc, statuses: st.t, sent: st.t.sum(),
			writes: fmt.Sprintf("%d acknowledged, %d present", len(acked), present)}
		r.ok = len(acked) > 0 && present == len(acked) && integrity == "ok" && st.t[500] == 0
		r.note = "SIGKILL after 1.5 s of registrations (4 workers), restarted on the same file (found in it); integrity_check: " + integrity +
			" (conn-error = requests in flight at the kill)"
		out = append(out, r)
	}
	return out
}

func register(svc, base, email string) int {
	if svc == "momentum" {
		return call("POST", base+"/api/auth/register", "", jsonBody(map[string]string{"email": email, "password": "password123", "restaurantName": "Kill Nine Grill"})).status
	}
	return call("POST", base+"/api/v1/auth/register", "", jsonBody(map[string]string{"email": email, "password": "Password123!", "fullName": "Kill Nine"})).status
}

func loginStatus(svc, base, email string) int {
	if svc == "momentum" {
		return call("POST", base+"/api/auth/login", "", jsonBody(map[string]string{"email": email, "password": "password123"})).status
	}
	return call("POST", base+"/api/v1/auth/login", "", jsonBody(map[string]string{"email": email, "password": "Password123!"})).status
}

func storedEmails(path string) (map[string]bool, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.Query("SELECT email FROM users")
	if err != nil {
		return nil, fmt.Errorf("read users of %s: %w", path, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, err
		}
		out[e] = true
	}
	return out, rows.Err()
}

func integrityCheck(path string) string {
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return err.Error()
	}
	defer db.Close()
	var res string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil {
		return err.Error()
	}
	return res
}
