package proctest

import (
	"sync"
	"testing"
)

// AtOnce runs f(0) .. f(n-1) in n goroutines released together, so the requests they make reach the
// servers at the same moment, and returns their results in order; any error fails the test.
func AtOnce[T any](t testing.TB, n int, f func(i int) (T, error)) []T {
	t.Helper()
	out := make([]T, n)
	errs := make([]error, n)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			out[i], errs[i] = f(i)
		}()
	}
	start.Done()
	done.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}
