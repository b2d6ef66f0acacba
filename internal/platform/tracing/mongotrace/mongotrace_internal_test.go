package mongotrace

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func raw(t *testing.T, d bson.D) bson.Raw {
	t.Helper()
	b, err := bson.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCollection(t *testing.T) {
	cases := []struct {
		command string
		doc     bson.D
		want    string
	}{
		{"find", bson.D{{Key: "find", Value: "users"}, {Key: "filter", Value: bson.D{}}}, "users"},
		{"insert", bson.D{{Key: "insert", Value: "restaurants"}, {Key: "documents", Value: bson.A{}}}, "restaurants"},
		{"findAndModify", bson.D{{Key: "findAndModify", Value: "counters"}}, "counters"},
		{"getMore", bson.D{{Key: "getMore", Value: int64(7)}, {Key: "collection", Value: "items"}}, "items"},
		{"aggregate", bson.D{{Key: "aggregate", Value: 1}}, ""}, // a database-level pipeline
		{"ping", bson.D{{Key: "ping", Value: 1}}, ""},
		{"find", bson.D{{Key: "$db", Value: "x"}}, ""},
		{"find", bson.D{}, ""},
	}
	for _, c := range cases {
		if got := collection(c.command, raw(t, c.doc)); got != c.want {
			t.Errorf("collection(%s, %v) = %q, want %q", c.command, c.doc, got, c.want)
		}
	}
}

func TestServer(t *testing.T) {
	for id, want := range map[string]struct {
		host string
		port int
		ok   bool
	}{
		"127.0.0.1:27017[-3]":                    {"127.0.0.1", 27017, true},
		"cluster0.example.mongodb.net:27017[-1]": {"cluster0.example.mongodb.net", 27017, true},
		"[::1]:27018[-12]":                       {"::1", 27018, true},
		"localhost:27017":                        {"localhost", 27017, true},
		"":                                       {"", 0, false},
		"nonsense[-1]":                           {"", 0, false},
	} {
		host, port, ok := server(id)
		if host != want.host || port != want.port || ok != want.ok {
			t.Errorf("server(%q) = %q %d %v, want %+v", id, host, port, ok, want)
		}
	}
}
