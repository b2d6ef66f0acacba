package testenv

import (
	"net/url"
	"testing"

	"github.com/momentum-cohortly/backends/internal/platform/faultnet"
)

// RedisBehindProxy puts a TCP proxy the test can cut in front of the test Redis and returns the
// REDIS_URL that goes through it, for tests of a Redis lost at run time.
func RedisBehindProxy(tb testing.TB) (string, *faultnet.Proxy) {
	tb.Helper()
	client, _ := Redis(tb)
	px, err := faultnet.Start(client.Options().Addr)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = px.Close() })
	u, err := url.Parse(RedisURL())
	if err != nil {
		tb.Fatal(err)
	}
	u.Host = px.Addr()
	return u.String(), px
}
