package proctest

import (
	"fmt"
	"sort"
	"strings"
)

// Tally counts answers by HTTP status, for what a multi-process test reports ("201 x17, 503 x3").
type Tally map[int]int

func (t Tally) String() string {
	keys := make([]int, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%d x%d", k, t[k]))
	}
	return strings.Join(parts, ", ")
}
