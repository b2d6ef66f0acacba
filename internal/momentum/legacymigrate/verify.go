package legacymigrate

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/momentum-cohortly/backends/internal/platform/clock"
)

// Verify directions.
const (
	DirectionForward = "forward" // the SQLite file is the original, MongoDB the migrated copy
	DirectionReverse = "reverse" // MongoDB is the original, the SQLite file its reverse export
)

// VerifyOptions configures a verification pass.
type VerifyOptions struct {
	Source    string
	MongoURL  string
	Database  string
	Orphans   string // the policy the migration used; "" reads it from migration_state (else keep)
	Direction string
	BatchSize int
	MaxDiffs  int
	Progress  string
	Out       io.Writer // progress
	Clock     clock.Clock
}

// Difference is one way the target does not match the source.
type Difference struct {
	Kind   string `json:"kind"` // count, missing, extra, unexpected, field, dangling_reference, counter
	Table  string `json:"table"`
	ID     any    `json:"id,omitempty"`
	Field  string `json:"field,omitempty"`
	Source string `json:"source,omitempty"` // the expected value (converted from the source)
	Target string `json:"target,omitempty"`
	Detail string `json:"detail,omitempty"`
}

// VerifyTable is one collection's result.
type VerifyTable struct {
	Table        string `json:"table"`
	SourceRows   int64  `json:"source_rows"`
	ExpectedDocs int64  `json:"expected_docs"` // source rows minus those the policy skips
	TargetDocs   int64  `json:"target_docs"`
	Compared     int64  `json:"compared"`
	Missing      int64  `json:"missing"`
	Extra        int64  `json:"extra"`
	Unexpected   int64  `json:"unexpected"` // present although the policy skips them
	FieldDiffs   int64  `json:"documents_with_field_differences"`
	// DanglingInherited counts target references to rows that do not exist in the source either
	// (kept under --orphans=keep, as reported by the migration); DanglingNew counts those whose
	// row exists in the source but not in the target: always a difference.
	DanglingInherited int64 `json:"dangling_references_inherited"`
	DanglingNew       int64 `json:"dangling_references_new"`
	// ExpiredSessions are sessions missing from the target that had expired: a TTL index removes them.
	ExpiredSessions int64 `json:"expired_sessions_removed,omitempty"`
	OK              bool  `json:"ok"`
}

// VerifyReport is the verify section of a Report.
type VerifyReport struct {
	Direction   string        `json:"direction"`
	Orphans     string        `json:"orphans_policy"`
	Tables      []VerifyTable `json:"tables"`
	Differences []Difference  `json:"differences"`
	Count       int64         `json:"difference_count"`
	Truncated   bool          `json:"differences_truncated,omitempty"`
}

func (v *VerifyReport) add(d Difference, max int) {
	v.Count++
	if len(v.Differences) < max {
		v.Differences = append(v.Differences, d)
	} else {
		v.Truncated = true
	}
}

func (v *VerifyReport) writeHuman(w io.Writer) {
	fmt.Fprintf(w, "  verify (%s, orphans=%s):\n", v.Direction, v.Orphans)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "table\tsource\texpected\ttarget\tmissing\textra\tunexpected\tfield diffs\tdangling (inherited/new)\t\t")
	for _, t := range v.Tables {
		ok := "ok"
		if !t.OK {
			ok = "DIFFERENT"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d/%d\t%s\t\n", t.Table, t.SourceRows, t.ExpectedDocs, t.TargetDocs, t.Missing, t.Extra, t.Unexpected, t.FieldDiffs, t.DanglingInherited, t.DanglingNew, ok)
	}
	tw.Flush()
	for i, d := range v.Differences {
		if i == maxHumanIssues {
			fmt.Fprintf(w, "    ... %d more (see --json)\n", len(v.Differences)-maxHumanIssues)
			break
		}
		fmt.Fprintf(w, "    %s %s", d.Kind, d.Table)
		if d.ID != nil {
			fmt.Fprintf(w, " %v", d.ID)
		}
		if d.Field != "" {
			fmt.Fprintf(w, " .%s", d.Field)
		}
		if d.Source != "" || d.Target != "" {
			fmt.Fprintf(w, " source=%s target=%s", d.Source, d.Target)
		}
		if d.Detail != "" {
			fmt.Fprintf(w, ": %s", d.Detail)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  %d differences\n", v.Count)
}

// Verify compares a legacy SQLite file with a MongoDB database collection by collection: counts,
// missing and extra ids, every field of every document (the source row converted exactly as the
// migration converts it), reference integrity in the target, and the id counters.
func Verify(ctx context.Context, o VerifyOptions) (*Report, error) {
	rep := &Report{Command: "verify", IssueCounts: map[string]int64{}, Issues: []Issue{}}
	if o.Clock == nil {
		o.Clock = clock.System()
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 1000
	}
	if o.MaxDiffs <= 0 {
		o.MaxDiffs = 10_000
	}
	if o.Direction == "" {
		o.Direction = DirectionForward
	}
	if o.Direction != DirectionForward && o.Direction != DirectionReverse {
		return fail(rep, fmt.Errorf("--direction must be forward or reverse, not %q", o.Direction))
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.Source == "" {
		return fail(rep, errNoSource)
	}
	defer rep.timed(o.Clock)()
	rep.Source = o.Source
	src, err := openSource(ctx, o.Source)
	if err != nil {
		return fail(rep, err)
	}
	defer src.Close()
	rep.Target = redactURL(o.MongoURL) + " database " + o.Database
	tg, err := connectTarget(ctx, o.MongoURL, o.Database)
	if err != nil {
		return fail(rep, err)
	}
	defer tg.Close()

	if o.Orphans == "" {
		o.Orphans = OrphansKeep
		if st, found, err := tg.loadState(ctx, "users"); err == nil && found && st.Orphans != "" {
			o.Orphans = st.Orphans
		}
	}
	if o.Orphans != OrphansKeep && o.Orphans != OrphansSkip {
		return fail(rep, fmt.Errorf("--orphans must be keep or skip, not %q", o.Orphans))
	}
	rep.Orphans = o.Orphans
	vr := &VerifyReport{Direction: o.Direction, Orphans: o.Orphans, Differences: []Difference{}}
	rep.Verify = vr
	for _, n := range src.unknownTables {
		rep.Warnings = append(rep.Warnings, "table "+n+" is not part of the Momentum schema and is not compared")
	}
	for _, n := range src.unknownColumns {
		rep.Warnings = append(rep.Warnings, "column "+n+" is not part of the Momentum schema and is not compared")
	}

	prog := newProgress(o.Progress, o.Out, o.Clock)
	rc := newRefChecker(src, o.Orphans)
	v := &verifier{src: src, tg: tg, rc: rc, o: o, vr: vr, prog: prog, now: o.Clock.Now()}
	for _, t := range tables {
		if !src.has(t) {
			n, err := tg.count(ctx, t.name)
			if err != nil {
				return fail(rep, err)
			}
			if n > 0 {
				vr.add(Difference{Kind: "extra", Table: t.name, Detail: fmt.Sprintf("%d documents, but the source has no table %s", n, t.name)}, o.MaxDiffs)
				vr.Tables = append(vr.Tables, VerifyTable{Table: t.name, TargetDocs: n, Extra: n})
			}
			continue
		}
		vt, err := v.table(ctx, t)
		if err != nil {
			return fail(rep, err)
		}
		rep.RowsRead += vt.SourceRows
		vr.Tables = append(vr.Tables, vt)
	}
	if err := v.counters(ctx); err != nil {
		return fail(rep, err)
	}
	if vr.Count > 0 {
		return fail(rep, fmt.Errorf("%d differences between source and target", vr.Count))
	}
	rep.OK = true
	return rep, nil
}

type verifier struct {
	src  *source
	tg   *target
	rc   *refChecker
	o    VerifyOptions
	vr   *VerifyReport
	prog *progress
	now  time.Time
	// keySets caches the key bitmaps of referenced collections (users, restaurants, ...).
	keySets map[string]keySet
}

// expected is one source row as the target should hold it.
type expected struct {
	key  any
	doc  bson.Raw
	skip bool // the policy leaves it out
}

// sourceIter yields the source's rows of one table in key order, converted.
type sourceIter struct {
	v     *verifier
	t     *table
	after any
	buf   []expected
	pos   int
	done  bool
}

func (it *sourceIter) next(ctx context.Context) (*expected, error) {
	for it.pos >= len(it.buf) {
		if it.done {
			return nil, nil
		}
		var rows []row
		var err error
		if it.t.textKey {
			rows, err = it.v.src.pageByKey(ctx, it.t, it.after, it.v.o.BatchSize)
		} else {
			var after int64
			if it.after != nil {
				after = it.after.(int64)
			}
			rows, err = it.v.src.page(ctx, it.t, after, it.v.o.BatchSize)
		}
		if err != nil {
			return nil, err
		}
		if len(rows) == 0 {
			it.done = true
			return nil, nil
		}
		if it.t.textKey {
			it.after = rows[len(rows)-1].vals[0]
		} else {
			it.after = rows[len(rows)-1].rowid
		}
		it.buf, it.pos = it.buf[:0], 0
		var broken [][]brokenRef
		if len(it.t.refs()) > 0 {
			broken, err = it.v.rc.check(ctx, it.t, refValues(it.t, rows), 0)
			if err != nil {
				return nil, err
			}
		}
		for i, r := range rows {
			rd := it.t.convertRow(r.vals)
			raw, err := bson.Marshal(rd.doc)
			if err != nil {
				return nil, fmt.Errorf("encode %s %v: %w", it.t.name, rd.key, err)
			}
			skip := it.v.o.Orphans == OrphansSkip && broken != nil && len(broken[i]) > 0
			it.buf = append(it.buf, expected{key: rd.key, doc: raw, skip: skip})
		}
		it.v.prog.add(int64(len(rows)))
	}
	e := &it.buf[it.pos]
	it.pos++
	return e, nil
}

// targetKey returns the comparable key of a target document: int64 for integer tables, string for
// sessions; ok is false for a key of another type (or none).
func targetKey(t *table, doc bson.Raw) (any, bool) {
	rv, err := doc.LookupErr(t.key)
	if err != nil {
		return nil, false
	}
	if t.textKey {
		s, ok := rv.StringValueOK()
		return s, ok
	}
	switch rv.Type {
	case bson.TypeInt64:
		return rv.Int64(), true
	case bson.TypeInt32:
		return int64(rv.Int32()), true
	case bson.TypeDouble:
		f := rv.Double()
		if f == math.Trunc(f) && math.Abs(f) < 1<<62 {
			return int64(f), true
		}
	}
	return nil, false
}

func compareKeys(a, b any) int {
	switch x := a.(type) {
	case int64:
		y := b.(int64)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	case string:
		return strings.Compare(x, b.(string))
	}
	return 0
}

func (v *verifier) diff(d Difference) { v.vr.add(d, v.o.MaxDiffs) }

func (v *verifier) table(ctx context.Context, t *table) (VerifyTable, error) {
	vt := VerifyTable{Table: t.name}
	var err error
	if vt.SourceRows, err = v.src.count(ctx, t); err != nil {
		return vt, err
	}
	nullKeys, err := v.src.countNullKeys(ctx, t)
	if err != nil {
		return vt, err
	}
	before := v.vr.Count
	v.prog.start(t.name, vt.SourceRows, 0)

	cur, err := v.tg.coll(t.name).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: t.key, Value: 1}}).SetBatchSize(int32(v.o.BatchSize)))
	if err != nil {
		return vt, fmt.Errorf("read %s: %w", t.name, err)
	}
	defer cur.Close(ctx)
	checks, err := v.newRefChecks(ctx, t)
	if err != nil {
		return vt, err
	}
	// Every target document passes here exactly once: it is counted and its references checked.
	nextTarget := func() (bson.Raw, error) {
		if cur.Next(ctx) {
			d := append(bson.Raw(nil), cur.Current...)
			vt.TargetDocs++
			return d, v.checkRefs(ctx, t, d, checks, &vt)
		}
		return nil, cur.Err()
	}
	it := &sourceIter{v: v, t: t}
	var expectedSkips int64
	s, err := it.next(ctx)
	if err != nil {
		return vt, err
	}
	d, err := nextTarget()
	if err != nil {
		return vt, fmt.Errorf("read %s: %w", t.name, err)
	}
	for s != nil || d != nil {
		if d != nil {
			if _, ok := targetKey(t, d); !ok {
				vt.Extra++
				rv, _ := d.LookupErr(t.key)
				v.diff(Difference{Kind: "extra", Table: t.name, Field: t.key, Target: renderRaw(rv), Detail: "document whose key is missing or of the wrong type"})
				if d, err = nextTarget(); err != nil {
					return vt, fmt.Errorf("read %s: %w", t.name, err)
				}
				continue
			}
		}
		if s != nil && s.key != nil && !keyComparable(t, s.key) {
			// A key the sort orders cannot line up (a BLOB session id): look it up directly.
			if err := v.lookupOne(ctx, t, s, &vt); err != nil {
				return vt, err
			}
			if s, err = it.next(ctx); err != nil {
				return vt, err
			}
			continue
		}
		var c int
		switch {
		case s == nil:
			c = 1
		case d == nil:
			c = -1
		default:
			dk, _ := targetKey(t, d)
			c = compareKeys(s.key, dk)
		}
		switch {
		case c < 0: // in the source only
			if s.skip {
				expectedSkips++
			} else if v.expiredSession(t, s) {
				vt.ExpiredSessions++
			} else {
				vt.Missing++
				v.diff(Difference{Kind: "missing", Table: t.name, ID: s.key, Detail: "in the source, not in the target"})
			}
			if s, err = it.next(ctx); err != nil {
				return vt, err
			}
		case c > 0: // in the target only
			dk, _ := targetKey(t, d)
			vt.Extra++
			v.diff(Difference{Kind: "extra", Table: t.name, ID: dk, Detail: "in the target, not in the source"})
			if d, err = nextTarget(); err != nil {
				return vt, fmt.Errorf("read %s: %w", t.name, err)
			}
		default:
			if s.skip {
				expectedSkips++
				vt.Unexpected++
				v.diff(Difference{Kind: "unexpected", Table: t.name, ID: s.key, Detail: "present, but --orphans=skip leaves it out (broken reference)"})
			} else {
				vt.Compared++
				if v.compareDoc(t, s, d) {
					vt.FieldDiffs++
				}
			}
			if s, err = it.next(ctx); err != nil {
				return vt, err
			}
			if d, err = nextTarget(); err != nil {
				return vt, fmt.Errorf("read %s: %w", t.name, err)
			}
		}
	}
	v.prog.finish()
	vt.ExpectedDocs = vt.SourceRows - expectedSkips - nullKeys
	if vt.ExpectedDocs != vt.TargetDocs+vt.ExpiredSessions {
		v.diff(Difference{Kind: "count", Table: t.name, Source: fmt.Sprint(vt.ExpectedDocs), Target: fmt.Sprint(vt.TargetDocs),
			Detail: fmt.Sprintf("%d source rows - %d skipped by policy - %d without a key = %d expected documents", vt.SourceRows, expectedSkips, nullKeys, vt.ExpectedDocs)})
	}
	for _, rc := range checks {
		if err := v.flushRefs(ctx, t, rc, &vt); err != nil {
			return vt, err
		}
	}
	vt.OK = v.vr.Count == before
	return vt, nil
}

func keyComparable(t *table, k any) bool {
	if t.textKey {
		_, ok := k.(string)
		return ok
	}
	_, ok := k.(int64)
	return ok
}

func (v *verifier) lookupOne(ctx context.Context, t *table, s *expected, vt *VerifyTable) error {
	var d bson.Raw
	err := v.tg.coll(t.name).FindOne(ctx, bson.D{{Key: t.key, Value: s.key}}).Decode(&d)
	if err == mongo.ErrNoDocuments {
		if !s.skip {
			vt.Missing++
			v.diff(Difference{Kind: "missing", Table: t.name, ID: fmt.Sprint(s.key), Detail: "in the source, not in the target"})
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", t.name, err)
	}
	vt.Compared++
	if v.compareDoc(t, s, d) {
		vt.FieldDiffs++
	}
	return nil
}

func (v *verifier) expiredSession(t *table, s *expected) bool {
	if t.name != "sessions" {
		return false
	}
	rv, err := s.doc.LookupErr("expires_at")
	if err != nil {
		return false
	}
	ms, ok := rv.DateTimeOK()
	return ok && ms/1000 < v.now.Unix()
}

// legacyOnlyFields are model fields the legacy schema cannot hold (pending_since marks a registration
// in flight in mongostore): a reverse export loses them, so
// the reverse direction does not compare them.
var legacyOnlyFields = map[string]bool{"users.updated_at": true, "restaurants.updated_at": true, "users.pending_since": true}

// compareDoc compares every field of the expected document with the target document (ignoring
// _id); it reports each difference and returns whether there was any.
func (v *verifier) compareDoc(t *table, s *expected, d bson.Raw) bool {
	differs := false
	report := func(field string, want, got bson.RawValue, detail string) {
		differs = true
		v.diff(Difference{Kind: "field", Table: t.name, ID: s.key, Field: field, Source: renderRaw(want), Target: renderRaw(got), Detail: detail})
	}
	skip := func(field string) bool {
		return v.o.Direction == DirectionReverse && legacyOnlyFields[t.name+"."+field]
	}
	want, _ := s.doc.Elements()
	have := map[string]bool{}
	for _, e := range want {
		k := e.Key()
		have[k] = true
		if skip(k) {
			continue
		}
		wv := e.Value()
		gv, err := d.LookupErr(k)
		if k == legacyRawField {
			if err != nil {
				report(k, wv, bson.RawValue{}, "field missing")
				continue
			}
			if v.o.Direction == DirectionReverse {
				gv = consistentRaw(t, d)
			}
			if !wv.Equal(gv) {
				report(k, wv, gv, "")
			}
			continue
		}
		if err != nil {
			report(k, wv, bson.RawValue{}, "field missing")
			continue
		}
		if !wv.Equal(gv) {
			report(k, wv, gv, "")
		}
	}
	got, _ := d.Elements()
	for _, e := range got {
		k := e.Key()
		if k == "_id" || have[k] || skip(k) {
			continue
		}
		if k == legacyRawField && v.o.Direction == DirectionReverse {
			if len(consistentRawD(t, d)) == 0 {
				continue
			}
		}
		report(k, bson.RawValue{}, e.Value(), "field not expected")
	}
	return differs
}

// consistentRawD keeps the legacy_raw entries the reverse export would use (those still converting
// to their field's current value).
func consistentRawD(t *table, d bson.Raw) bson.D {
	var out bson.D
	rawDoc, err := d.LookupErr(legacyRawField)
	if err != nil {
		return nil
	}
	elems, err := rawDoc.Document().Elements()
	if err != nil {
		return nil
	}
	for _, e := range elems {
		c := t.column(e.Key())
		if c == nil {
			continue
		}
		orig, ok := rawToGo(e.Value())
		if !ok {
			continue
		}
		fv, err := d.LookupErr(c.name)
		if err != nil {
			fv = bson.RawValue{Type: bson.TypeNull}
		}
		if sameValue(convertValue(c, orig).out, fv) {
			out = append(out, bson.E{Key: e.Key(), Value: e.Value()})
		}
	}
	return out
}

func consistentRaw(t *table, d bson.Raw) bson.RawValue {
	rd := consistentRawD(t, d)
	if len(rd) == 0 {
		return bson.RawValue{}
	}
	typ, data, err := bson.MarshalValue(rd)
	if err != nil {
		return bson.RawValue{}
	}
	return bson.RawValue{Type: typ, Value: data}
}

func renderRaw(rv bson.RawValue) string {
	if rv.Type == 0 {
		return "(absent)"
	}
	s := rv.String()
	if len(s) > maxIssueValueSize {
		s = s[:maxIssueValueSize] + "…"
	}
	return s
}

// refCheck checks one reference column of the documents streamed by the comparison, so reference
// integrity costs no extra pass over the collection.
type refCheck struct {
	col     column
	parent  *table
	keys    keySet // the parent's keys; nil: look them up in batches
	pending []pendingRef
}

type pendingRef struct {
	id  any
	val bson.RawValue
}

// newRefChecks prepares the reference checks of t's documents.
func (v *verifier) newRefChecks(ctx context.Context, t *table) ([]*refCheck, error) {
	var out []*refCheck
	for _, c := range t.refs() {
		parent := tableByName(c.ref)
		ks, err := v.parentKeys(ctx, parent)
		if err != nil {
			return nil, err
		}
		out = append(out, &refCheck{col: c, parent: parent, keys: ks})
	}
	return out, nil
}

// checkRefs looks at one target document's references.
func (v *verifier) checkRefs(ctx context.Context, t *table, d bson.Raw, checks []*refCheck, vt *VerifyTable) error {
	for _, rc := range checks {
		rv, err := d.LookupErr(rc.col.name)
		if err != nil || rv.Type == bson.TypeNull {
			continue
		}
		if n, ok := rv.Int64OK(); ok && rc.keys != nil && rc.keys.has(n) {
			continue
		}
		id, _ := targetKey(t, d)
		rc.pending = append(rc.pending, pendingRef{id: id, val: bson.RawValue{Type: rv.Type, Value: append([]byte(nil), rv.Value...)}})
		if len(rc.pending) >= v.o.BatchSize {
			if err := v.flushRefs(ctx, t, rc, vt); err != nil {
				return err
			}
		}
	}
	return nil
}

// flushRefs resolves the pending references of one column: those whose row is in neither database
// were already broken in the source (inherited); a row the source has but the target lacks is a
// difference.
func (v *verifier) flushRefs(ctx context.Context, t *table, rc *refCheck, vt *VerifyTable) error {
	if len(rc.pending) == 0 {
		return nil
	}
	var ints []int64
	seen := map[int64]bool{}
	for _, r := range rc.pending {
		if n, ok := r.val.Int64OK(); ok && !seen[n] {
			seen[n] = true
			ints = append(ints, n)
		}
	}
	inTarget := map[int64]bool{}
	if rc.keys == nil && len(ints) > 0 {
		pc, err := v.tg.coll(rc.parent.name).Find(ctx, bson.D{{Key: rc.parent.key, Value: bson.D{{Key: "$in", Value: ints}}}},
			options.Find().SetProjection(bson.D{{Key: rc.parent.key, Value: 1}}))
		if err != nil {
			return fmt.Errorf("read %s: %w", rc.parent.name, err)
		}
		for pc.Next(ctx) {
			if k, ok := targetKey(rc.parent, pc.Current); ok {
				inTarget[k.(int64)] = true
			}
		}
		err = pc.Err()
		pc.Close(ctx)
		if err != nil {
			return fmt.Errorf("read %s: %w", rc.parent.name, err)
		}
	}
	var gone []int64
	for _, n := range ints {
		if !inTarget[n] {
			gone = append(gone, n)
		}
	}
	inSource, err := v.src.rowidsPresent(ctx, rc.parent, gone)
	if err != nil {
		return err
	}
	for _, r := range rc.pending {
		n, isInt := r.val.Int64OK()
		if isInt && inTarget[n] {
			continue
		}
		if isInt && inSource[n] {
			vt.DanglingNew++
			v.diff(Difference{Kind: "dangling_reference", Table: t.name, ID: r.id, Field: rc.col.name, Target: renderRaw(r.val),
				Detail: fmt.Sprintf("%s %d exists in the source but not in the target", rc.parent.name, n)})
			continue
		}
		vt.DanglingInherited++
		if v.o.Orphans == OrphansSkip {
			v.diff(Difference{Kind: "dangling_reference", Table: t.name, ID: r.id, Field: rc.col.name, Target: renderRaw(r.val),
				Detail: fmt.Sprintf("broken in the source too, but --orphans=skip should have left this %s out", t.name)})
		}
	}
	rc.pending = rc.pending[:0]
	return nil
}

// keySet is a bitmap of the integer keys present in a collection.
type keySet []uint64

func (k keySet) has(n int64) bool {
	return n >= 0 && n/64 < int64(len(k)) && k[n/64]&(1<<(uint64(n)%64)) != 0
}

// maxKeySetKey bounds the bitmap (8 MiB): above it, references are checked with $in queries.
const maxKeySetKey = 64 << 20

// parentKeys loads the keys of a referenced collection into a bitmap, one pass over the key index,
// so checking a million references costs no query each; nil when the keys are too large or sparse
// for a small bitmap (then references are looked up in batches).
func (v *verifier) parentKeys(ctx context.Context, t *table) (keySet, error) {
	if v.keySets == nil {
		v.keySets = map[string]keySet{}
	}
	if ks, ok := v.keySets[t.name]; ok {
		return ks, nil
	}
	var top bson.Raw
	err := v.tg.coll(t.name).FindOne(ctx, bson.D{}, options.FindOne().SetSort(bson.D{{Key: t.key, Value: -1}}).SetProjection(bson.D{{Key: t.key, Value: 1}})).Decode(&top)
	if err != nil && err != mongo.ErrNoDocuments {
		return nil, fmt.Errorf("read %s: %w", t.name, err)
	}
	var ks keySet
	if err == nil {
		k, ok := targetKey(t, top)
		if !ok || k.(int64) > maxKeySetKey {
			v.keySets[t.name] = nil
			return nil, nil
		}
		ks = make(keySet, k.(int64)/64+1)
		cur, err := v.tg.coll(t.name).Find(ctx, bson.D{}, options.Find().SetProjection(bson.D{{Key: t.key, Value: 1}}).SetBatchSize(int32(max(v.o.BatchSize, 1000))))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", t.name, err)
		}
		for cur.Next(ctx) {
			if k, ok := targetKey(t, cur.Current); ok && k.(int64) >= 0 && k.(int64)/64 < int64(len(ks)) {
				n := k.(int64)
				ks[n/64] |= 1 << (uint64(n) % 64)
			}
		}
		err = cur.Err()
		cur.Close(ctx)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", t.name, err)
		}
	} else {
		ks = keySet{}
	}
	v.keySets[t.name] = ks
	return ks, nil
}

// counters checks that no id the legacy side handed out can be handed out again.
func (v *verifier) counters(ctx context.Context) error {
	seqs, err := v.src.sequences(ctx)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if !t.counter || !v.src.has(t) {
			continue
		}
		mx, err := v.src.maxKey(ctx, t)
		if err != nil {
			return err
		}
		ctr, err := v.tg.counter(ctx, t.name)
		if err != nil {
			return err
		}
		if v.o.Direction == DirectionForward {
			if need := max(mx, seqs[t.name]); ctr < need {
				v.diff(Difference{Kind: "counter", Table: t.name, Source: fmt.Sprint(need), Target: fmt.Sprint(ctr),
					Detail: "counters." + t.name + ".seq is below the highest legacy id: new ids would collide"})
			}
			continue
		}
		if seqs[t.name] < ctr {
			v.diff(Difference{Kind: "counter", Table: t.name, Source: fmt.Sprint(seqs[t.name]), Target: fmt.Sprint(ctr),
				Detail: "sqlite_sequence is below the MongoDB counter: the legacy server would reuse ids"})
		}
	}
	return nil
}
