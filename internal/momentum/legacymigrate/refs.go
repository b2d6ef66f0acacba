package legacymigrate

import (
	"context"
	"fmt"
)

// Orphan policies: what happens to a row whose reference is broken.
const (
	OrphansKeep = "keep" // migrate it as it is (the default: nothing is lost); report it
	OrphansSkip = "skip" // leave it out, and everything that references it; report each
)

type refState int8

const (
	refMissing refState = iota // the referenced row does not exist
	refSkipped                 // it exists but is skipped by the policy
	refOK
)

// brokenRef is one reference of one row that does not resolve to a migrated row.
type brokenRef struct {
	col   string
	ref   string // referenced table
	value any
	state refState
}

func (b brokenRef) describe() string {
	p := tableByName(b.ref)
	if b.state == refSkipped {
		return fmt.Sprintf("%s.%s = %s, which is skipped (it has a broken reference itself)", b.ref, p.key, render(b.value))
	}
	if _, ok := b.value.(int64); !ok {
		return fmt.Sprintf("%s.%s = %s, which is not an id", b.ref, p.key, render(b.value))
	}
	return fmt.Sprintf("%s.%s = %s, which does not exist", b.ref, p.key, render(b.value))
}

// maxRefDepth bounds the cascade through self references (checklist_items.parent_item_id), so a
// cycle of items cannot recurse forever; deeper links count as resolved if the row exists.
const maxRefDepth = 8

// cacheLimit bounds the per-table memo so memory stays flat on any source size.
const cacheLimit = 200_000

// refChecker resolves legacy references against the source file. Under the skip policy a row is
// migrated only if every row it references is migrated, so the answer for a parent depends on its
// own parents (cascade).
type refChecker struct {
	src     *source
	cascade bool
	cache   map[string]map[int64]refState
}

func newRefChecker(src *source, policy string) *refChecker {
	return &refChecker{src: src, cascade: policy == OrphansSkip, cache: map[string]map[int64]refState{}}
}

// refValues extracts, per row, the values of t's reference columns (aligned with t.refs()).
func refValues(t *table, rows []row) [][]any {
	refs := t.refs()
	idx := make([]int, len(refs))
	for i, c := range refs {
		for j := range t.cols {
			if t.cols[j].name == c.name {
				idx[i] = j
			}
		}
	}
	out := make([][]any, len(rows))
	for i, r := range rows {
		vals := make([]any, len(refs))
		for k, j := range idx {
			vals[k] = r.vals[j]
		}
		out[i] = vals
	}
	return out
}

// check returns the broken references of each row; vals holds each row's reference values
// (aligned with t.refs()).
func (rc *refChecker) check(ctx context.Context, t *table, vals [][]any, depth int) ([][]brokenRef, error) {
	out := make([][]brokenRef, len(vals))
	for ci, c := range t.refs() {
		parent := tableByName(c.ref)
		seen := map[int64]bool{}
		var keys []int64
		for _, v := range vals {
			if k, ok := v[ci].(int64); ok && !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
		states, err := rc.states(ctx, parent, keys, depth+1)
		if err != nil {
			return nil, err
		}
		for i, v := range vals {
			switch x := v[ci].(type) {
			case nil:
			case int64:
				if s := states[x]; s != refOK {
					out[i] = append(out[i], brokenRef{col: c.name, ref: c.ref, value: x, state: s})
				}
			default:
				out[i] = append(out[i], brokenRef{col: c.name, ref: c.ref, value: x, state: refMissing})
			}
		}
	}
	return out, nil
}

// states says, for each key of t, whether the row exists and (under the skip policy) is migrated.
func (rc *refChecker) states(ctx context.Context, t *table, keys []int64, depth int) (map[int64]refState, error) {
	out := make(map[int64]refState, len(keys))
	memo := rc.cache[t.name]
	if memo == nil || len(memo) > cacheLimit {
		memo = map[int64]refState{}
		rc.cache[t.name] = memo
	}
	var need []int64
	for _, k := range keys {
		if s, ok := memo[k]; ok {
			out[k] = s
		} else {
			need = append(need, k)
		}
	}
	if len(need) == 0 {
		return out, nil
	}
	refs := t.refs()
	if !rc.cascade || len(refs) == 0 || depth > maxRefDepth {
		present, err := rc.src.rowidsPresent(ctx, t, need)
		if err != nil {
			return nil, err
		}
		for _, k := range need {
			s := refMissing
			if present[k] {
				s = refOK
			}
			out[k], memo[k] = s, s
		}
		return out, nil
	}
	rows, err := rc.src.refRows(ctx, t, need, refs)
	if err != nil {
		return nil, err
	}
	found := make([]int64, 0, len(rows))
	vals := make([][]any, 0, len(rows))
	for _, k := range need {
		if v, ok := rows[k]; ok {
			found = append(found, k)
			vals = append(vals, v)
		} else {
			out[k], memo[k] = refMissing, refMissing
		}
	}
	broken, err := rc.check(ctx, t, vals, depth)
	if err != nil {
		return nil, err
	}
	for i, k := range found {
		s := refOK
		if len(broken[i]) > 0 {
			s = refSkipped
		}
		out[k], memo[k] = s, s
	}
	return out, nil
}
