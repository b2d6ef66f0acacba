package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/momentum-cohortly/backends/internal/momentum/mongotest"
	"github.com/momentum-cohortly/backends/internal/platform/proctest"
	"github.com/momentum-cohortly/backends/internal/platform/testenv"
)

// momentumBin is this package's command, built once for the tests that run it as real processes.
var momentumBin = proctest.NewBinary("github.com/momentum-cohortly/backends/cmd/momentum")

func TestMain(m *testing.M) {
	code := m.Run()
	momentumBin.Remove()
	os.Exit(code)
}

// reply is one HTTP answer.
type reply struct {
	status int
	header http.Header
	body   map[string]any
}

// send makes one request as the client at addr (X-Forwarded-For, the instances trust one proxy). Safe
// in goroutines: a transport error is returned, not fatal.
func send(method, url, token, addr string, body any) (reply, error) {
	a, err := proctest.Send(method, url, token, addr, body)
	return reply{a.Status, a.Header, a.Body}, err
}

func mustReply(t *testing.T) func(reply, error) reply {
	t.Helper()
	return func(r reply, err error) reply {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
}

func wantReply(t *testing.T, what string, r reply, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s: %d %v, want %d", what, r.status, r.body, status)
	}
}

// clientAddr is a client address no other test uses, so per-address counters start at zero.
func clientAddr() string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("10.%d.%d.%d", b[0], b[1], b[2])
}

// all runs n requests at once (f(i) makes request i) and returns their answers.
func all(t *testing.T, n int, f func(i int) (reply, error)) []reply {
	t.Helper()
	return proctest.AtOnce(t, n, f)
}

func replyTally(rs []reply) tally {
	tl := tally{}
	for _, r := range rs {
		tl[r.status]++
	}
	return tl
}

func num(v any) int64 {
	f, _ := v.(float64)
	return int64(f)
}

// TestThreeInstancesOnMongoDB runs three real momentum processes on one database of the embedded
// MongoDB-compatible server (FerretDB) and one Redis, started at once on the empty database (so their
// index creation, catalogue seed and demo admin race too), and sends each step of every scenario to a
// different instance than the step before.
func TestThreeInstancesOnMongoDB(t *testing.T) {
	testenv.Redis(t)
	uri, stop, err := mongotest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	dbName := mongotest.DBName(t)
	dir := t.TempDir()
	env := map[string]string{
		"MONGODB_URL": uri, "DATABASE_NAME": dbName, "REDIS_URL": testenv.RedisURL(), "TRUST_PROXY": "true",
		"PORT": "0", "HOST": "127.0.0.1", "APP_ENV": "development", "BCRYPT_COST": "4",
		"UPLOAD_DIR": filepath.Join(dir, "uploads"), "MOMENTUM_ENV_FILE": filepath.Join(dir, "none.env"),
		"MOMENTUM_SQLITE_PATH": filepath.Join(dir, "unused.db"), "SHUTDOWN_TIMEOUT": "5s",
	}
	ps := proctest.StartN(t, momentumBin.Path(t), 3, proctest.Config{Env: env, ReadyMsg: "ready", Name: "momentum"})
	t.Cleanup(func() {
		if t.Failed() {
			for i, p := range ps {
				for _, rec := range p.LogLines("request failed") {
					t.Logf("instance %d: %v", i, rec)
				}
			}
		}
	})
	at := func(i int) string { return ps[i%len(ps)].URL }

	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Disconnect(context.Background()) })
	db := client.Database(dbName)
	count := func(t *testing.T, coll string, filter bson.D) int64 {
		t.Helper()
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		n, err := db.Collection(coll).CountDocuments(ctx, filter)
		if err != nil {
			t.Fatalf("count %s: %v", coll, err)
		}
		return n
	}

	t.Run("StartedAtOnceTheySeedOneCatalogueAndOneAdmin", func(t *testing.T) {
		if n := count(t, "checklist_categories", bson.D{}); n != 12 {
			t.Errorf("%d checklist categories after three first starts, want 12", n)
		}
		if n := count(t, "checklist_items", bson.D{}); n != 61 {
			t.Errorf("%d checklist items after three first starts, want 61", n)
		}
		if n := count(t, "users", bson.D{{Key: "role", Value: "admin"}}); n != 1 {
			t.Errorf("%d admins after three first starts, want 1", n)
		}
		for i := range ps {
			_, cats := get(t, at(i)+"/api/checklist/categories", login(t, at(i), "admin@momentum.com", "admin123"))
			if n := len(cats["categories"].([]any)); n != 12 {
				t.Errorf("instance %d serves %d categories, want 12", i, n)
			}
		}
	})

	t.Run("EndedImpersonationIsRefusedEverywhere", func(t *testing.T) {
		t.Parallel()
		admin := login(t, at(0), "admin@momentum.com", "admin123")
		reg := mustReply(t)(send("POST", at(1)+"/api/auth/register", "", clientAddr(),
			map[string]any{"email": testenv.RandomName("imp") + "@example.com", "password": "password123", "restaurantName": "Impersonated"}))
		wantReply(t, "register", reg, 201)
		rid := num(reg.body["user"].(map[string]any)["restaurant"].(map[string]any)["restaurant_id"])
		imp := mustReply(t)(send("POST", fmt.Sprintf("%s/api/auth/impersonate/%d", at(2), rid), admin, "", nil))
		wantReply(t, "impersonate", imp, 200)
		tok := imp.body["token"].(string)
		for i := range ps {
			wantReply(t, fmt.Sprintf("impersonated dashboard on instance %d", i), mustReply(t)(send("GET", at(i)+"/api/dashboard/restaurant", tok, "", nil)), 200)
		}
		wantReply(t, "end impersonation", mustReply(t)(send("POST", at(0)+"/api/auth/end-impersonation", tok, "", nil)), 200)
		for i := range ps {
			r := mustReply(t)(send("GET", at(i+1)+"/api/dashboard/restaurant", tok, "", nil))
			if r.status != 403 || r.body["error"] != "Invalid or expired token" {
				t.Fatalf("ended impersonation token on instance %d: %d %v, want 403 Invalid or expired token", (i+1)%3, r.status, r.body)
			}
		}
	})

	t.Run("ConcurrentChecklistWritesLeaveOneRowWithTheLastWrite", func(t *testing.T) {
		t.Parallel()
		reg := mustReply(t)(send("POST", at(0)+"/api/auth/register", "", clientAddr(),
			map[string]any{"email": testenv.RandomName("chk") + "@example.com", "password": "password123", "restaurantName": "Checklist"}))
		wantReply(t, "register", reg, 201)
		owner := reg.body["token"].(string)
		rid := num(reg.body["user"].(map[string]any)["restaurant"].(map[string]any)["restaurant_id"])
		_, items := get(t, at(1)+"/api/checklist/items/"+fmt.Sprint(firstCategory(t, at(1), owner)), owner)
		item := num(items["items"].([]any)[0].(map[string]any)["item_id"])
		path := fmt.Sprintf("/api/checklist/status/me/%d", item)

		statuses := []string{"pending", "in_progress", "completed", "not_applicable"}
		written := map[string]string{} // notes -> status: each write's two fields
		const n = 12
		rs := all(t, n, func(i int) (reply, error) {
			return send("PUT", at(i)+path, owner, "", map[string]any{"status": statuses[i%4], "notes": fmt.Sprintf("write %d", i)})
		})
		for i := range n {
			written[fmt.Sprintf("write %d", i)] = statuses[i%4]
		}
		ids := map[int64]bool{}
		for i, r := range rs {
			if r.status != 200 {
				t.Fatalf("write %d on instance %d: %d %v (answers %v)", i, i%3, r.status, r.body, replyTally(rs))
			}
			ids[num(r.body["statusId"])] = true
		}
		if len(ids) != 1 {
			t.Fatalf("%d concurrent first writes of one item answered %d different status ids: %v", n, len(ids), ids)
		}
		filter := bson.D{{Key: "restaurant_id", Value: rid}, {Key: "item_id", Value: item}}
		if c := count(t, "restaurant_checklist_status", filter); c != 1 {
			t.Fatalf("%d status rows for one item after %d concurrent writes, want 1", c, n)
		}
		var row struct {
			Status string  `bson:"status"`
			Notes  *string `bson:"notes"`
		}
		if err := db.Collection("restaurant_checklist_status").FindOne(t.Context(), filter).Decode(&row); err != nil {
			t.Fatal(err)
		}
		if row.Notes == nil || written[*row.Notes] != row.Status {
			t.Fatalf("the row holds status %q notes %v: not one whole write of the %d", row.Status, row.Notes, n)
		}
		// Then one write after another, each on another instance: every instance reads the last one.
		for i, st := range []string{"in_progress", "completed", "pending"} {
			wantReply(t, "sequential write", mustReply(t)(send("PUT", at(i)+path, owner, "", map[string]any{"status": st, "notes": "last " + st})), 200)
			for j := range ps {
				_, got := get(t, at(i+j+1)+"/api/checklist/status/me", owner)
				var seen []string
				for _, s := range got["statuses"].([]any) {
					m := s.(map[string]any)
					if num(m["item_id"]) == item {
						seen = append(seen, fmt.Sprintf("%v/%v", m["status"], m["notes"]))
					}
				}
				if want := st + "/last " + st; len(seen) != 1 || seen[0] != want {
					t.Fatalf("after writing %s on instance %d, instance %d reads %v, want [%s]", st, i%3, (i+j+1)%3, seen, want)
				}
			}
		}
		if c := count(t, "restaurant_checklist_status", filter); c != 1 {
			t.Fatalf("%d status rows for one item at the end, want 1", c)
		}
	})

	t.Run("OneEmailRegisteredOnThreeInstancesAtOnceIsOneAccount", func(t *testing.T) {
		t.Parallel()
		local := testenv.RandomName("same")
		// The same address in three spellings: emails are unique case-insensitively.
		spellings := []string{local + "@example.com", strings.ToUpper(local) + "@EXAMPLE.COM", local + "@Example.Com"}
		const n = 9
		rs := all(t, n, func(i int) (reply, error) {
			return send("POST", at(i)+"/api/auth/register", "", clientAddr(), map[string]any{
				"email": spellings[i%3], "password": fmt.Sprintf("password-%d", i), "restaurantName": fmt.Sprintf("Same %d", i)})
		})
		winner := -1
		for i, r := range rs {
			switch {
			case r.status == 201 && winner < 0:
				winner = i
			case r.status == 400 && r.body["error"] == "User already exists with this email":
			default:
				t.Fatalf("registration %d on instance %d: %d %v (answers %v)", i, i%3, r.status, r.body, replyTally(rs))
			}
		}
		if winner < 0 {
			t.Fatalf("no registration of %d succeeded: %v", n, replyTally(rs))
		}
		norm := bson.D{{Key: "email_normalized", Value: strings.ToLower(spellings[0])}}
		if c := count(t, "users", norm); c != 1 {
			t.Fatalf("%d users for one email after %d concurrent registrations", c, n)
		}
		uid := num(rs[winner].body["user"].(map[string]any)["user_id"])
		if c := count(t, "restaurants", bson.D{{Key: "user_id", Value: uid}}); c != 1 {
			t.Fatalf("%d restaurants for the one account", c)
		}
		// The losers left nothing behind: no restaurant without its user.
		for i, r := range rs {
			if i == winner {
				continue
			}
			if c := count(t, "restaurants", bson.D{{Key: "name", Value: fmt.Sprintf("Same %d", i)}}); c != 0 {
				t.Fatalf("the refused registration %d left %d restaurants (answer %v)", i, c, r.body)
			}
		}
		// The account is the winner's, on every instance.
		for i := range ps {
			r := mustReply(t)(send("POST", at(i)+"/api/auth/login", "", clientAddr(), map[string]any{"email": spellings[i], "password": fmt.Sprintf("password-%d", winner)}))
			wantReply(t, fmt.Sprintf("the winner's login on instance %d", i), r, 200)
		}
	})

	t.Run("IDCountersHandOutNoIDTwice", func(t *testing.T) {
		t.Parallel()
		const n = 30
		prefix := testenv.RandomName("ids")
		rs := all(t, n, func(i int) (reply, error) {
			return send("POST", at(i)+"/api/auth/register", "", clientAddr(), map[string]any{
				"email": fmt.Sprintf("%s-%d@example.com", prefix, i), "password": "password123", "restaurantName": fmt.Sprintf("IDs %d", i)})
		})
		users, restaurants := map[int64]int{}, map[int64]int{}
		for i, r := range rs {
			if r.status != 201 {
				t.Fatalf("registration %d on instance %d: %d %v (answers %v)", i, i%3, r.status, r.body, replyTally(rs))
			}
			u := r.body["user"].(map[string]any)
			users[num(u["user_id"])]++
			restaurants[num(u["restaurant"].(map[string]any)["restaurant_id"])]++
		}
		if len(users) != n || len(restaurants) != n {
			t.Fatalf("%d concurrent registrations over 3 instances got %d distinct user ids and %d distinct restaurant ids: %v %v",
				n, len(users), len(restaurants), users, restaurants)
		}
		// Every account works from any instance: its token names its own user.
		for i, r := range rs[:3] {
			_, me := get(t, at(i+1)+"/api/auth/me", r.body["token"].(string))
			if got := num(me["user"].(map[string]any)["user_id"]); got != num(r.body["user"].(map[string]any)["user_id"]) {
				t.Fatalf("registration %d: me on another instance is user %d", i, got)
			}
		}
	})
}

// firstCategory returns the id of the first checklist category.
func firstCategory(t *testing.T, base, token string) int64 {
	t.Helper()
	_, cats := get(t, base+"/api/checklist/categories", token)
	return num(cats["categories"].([]any)[0].(map[string]any)["category_id"])
}
