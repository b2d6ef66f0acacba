package mongotest

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

func TestStartServesMongoProtocolAndStops(t *testing.T) {
	uri, stop, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if !strings.HasPrefix(uri, "mongodb://127.0.0.1:") {
		t.Fatalf("uri = %q, want mongodb://127.0.0.1:<port>", uri)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatal(err)
	}
	coll := client.Database(DBName(t)).Collection("c")
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "x", Value: int64(1)}}); err != nil {
		t.Fatalf("insert: %v", err)
	}
	var got struct{ X int64 }
	if err := coll.FindOne(ctx, bson.D{{Key: "x", Value: int64(1)}}).Decode(&got); err != nil || got.X != 1 {
		t.Fatalf("find = %+v, %v", got, err)
	}
	if err := client.Disconnect(ctx); err != nil {
		t.Fatal(err)
	}

	began := time.Now()
	stop()
	stop() // idempotent
	t.Logf("stop took %v", time.Since(began))

	after, err := mongo.Connect(options.Client().ApplyURI(uri).SetServerSelectionTimeout(300 * time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = after.Disconnect(ctx) }()
	if err := after.Ping(ctx, nil); err == nil {
		t.Fatal("server still answers after stop")
	}
}

func TestDBNameIsValidAndUnique(t *testing.T) {
	valid := regexp.MustCompile(`^[a-zA-Z0-9_-]{1,63}$`)
	seen := map[string]bool{}
	for range 50 {
		n := DBName(t)
		if !valid.MatchString(n) {
			t.Fatalf("DBName = %q: not a valid database name", n)
		}
		if seen[n] {
			t.Fatalf("DBName repeated %q", n)
		}
		seen[n] = true
	}
	long := dbName(strings.Repeat("TestVeryLong/sub test.with$odd\"chars ", 10), "0123456789ab")
	if !valid.MatchString(long) {
		t.Fatalf("dbName(long) = %q (%d bytes): not valid", long, len(long))
	}
}

func TestTargets(t *testing.T) {
	t.Setenv(EnvURL, "")
	if ts := Targets("mongodb://a/"); len(ts) != 1 || ts[0].Name != "ferretdb" {
		t.Fatalf("Targets without env = %+v", ts)
	}
	t.Setenv(EnvURL, " mongodb://ext:27017/ ")
	ts := Targets("mongodb://a/")
	if len(ts) != 2 || ts[1].Name != "mongodb" || ts[1].URI != "mongodb://ext:27017/" {
		t.Fatalf("Targets with env = %+v", ts)
	}
}
