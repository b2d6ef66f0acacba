package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/momentum-cohortly/backends/internal/cohortly"
	"github.com/momentum-cohortly/backends/internal/platform/httpx"
	"github.com/momentum-cohortly/backends/internal/platform/jsontext"
)

// GET /auth/me is the busiest route (every page load of the frontend calls it, and the load target is
// 30,000 req/s on SQLite). Its answer is written by hand instead of through encoding/json's reflection,
// interface boxing and validation pass; TestFastMeMatchesEncodingJSON keeps the bytes identical to what
// encoding/json produces for meJSON inside the envelope.

// writeFast answers 200 with the JSON that appendBody builds, as httpx.WriteJSON would send it.
func writeFast[T any](w http.ResponseWriter, appendBody func([]byte, T) []byte, v T) {
	httpx.WriteAppended(w, http.StatusOK, appendBody, v)
}

func writeMe(w http.ResponseWriter, m meJSON) { writeFast(w, appendMeEnvelope, m) }

func appendMeEnvelope(b []byte, m meJSON) []byte {
	b = append(b, `{"success":true,"message":"User retrieved successfully","data":{"id":`...)
	b = jsontext.AppendString(b, m.ID)
	b = append(b, `,"email":`...)
	b = jsontext.AppendString(b, m.Email)
	b = append(b, `,"role":`...)
	b = jsontext.AppendString(b, string(m.Role))
	b = append(b, `,"iat":`...)
	b = strconv.AppendInt(b, m.Iat, 10)
	b = append(b, `,"exp":`...)
	b = strconv.AppendInt(b, m.Exp, 10)
	b = append(b, `,"fullName":`...)
	b = jsontext.AppendString(b, m.FullName)
	b = append(b, `,"phone":`...)
	if m.Phone == nil {
		b = append(b, "null"...)
	} else {
		b = jsontext.AppendString(b, *m.Phone)
	}
	b = append(b, `,"isActive":`...)
	b = strconv.AppendBool(b, m.IsActive)
	b = append(b, `,"createdAt":`...)
	b = appendTime(b, time.Time(m.CreatedAt))
	b = append(b, `,"updatedAt":`...)
	b = appendTime(b, time.Time(m.UpdatedAt))
	return append(b, `}}`...)
}

// appendTime writes t as jtime's MarshalJSON does. Years 0-9999 (all real ones) are written digit by
// digit, which is several times cheaper than AppendFormat's layout parsing; others take AppendFormat.
func appendTime(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		b = append(b, '"')
		b = t.AppendFormat(b, "2006-01-02T15:04:05.000Z")
		return append(b, '"')
	}
	hour, minute, sec := t.Clock()
	ms := t.Nanosecond() / 1e6
	return append(b, '"',
		byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-',
		byte('0'+int(month)/10), byte('0'+int(month)%10), '-', byte('0'+day/10), byte('0'+day%10), 'T',
		byte('0'+hour/10), byte('0'+hour%10), ':', byte('0'+minute/10), byte('0'+minute%10), ':',
		byte('0'+sec/10), byte('0'+sec%10), '.', byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10), 'Z', '"')
}

func appendStringPtr(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return jsontext.AppendString(b, *s)
}

func appendIntPtr(b []byte, n *int) []byte {
	if n == nil {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, int64(*n), 10)
}

func appendUserRef(b []byte, r cohortly.UserRef) []byte {
	b = append(b, `{"id":`...)
	b = jsontext.AppendString(b, r.ID)
	b = append(b, `,"fullName":`...)
	b = jsontext.AppendString(b, r.FullName)
	b = append(b, `,"email":`...)
	b = jsontext.AppendString(b, r.Email)
	return append(b, '}')
}

// ---- list pages: GET /leads and GET /bootcamps are the load profile's list routes. Their pages are
// written as okPage(w, msg, items mapped through leadView/bootcampView, res) would write them;
// TestFastPagesMatchEncodingJSON and the fuzz tests keep the bytes identical.

// fastPage is one page of a list answer.
type fastPage[T any] struct {
	msg string
	res cohortly.Paged[T]
}

func writePage[T any](w http.ResponseWriter, msg string, res cohortly.Paged[T], appendItem func([]byte, *T) []byte) {
	writeFast(w, func(b []byte, p fastPage[T]) []byte { return appendPageEnvelope(b, p, appendItem) }, fastPage[T]{msg, res})
}

func appendPageEnvelope[T any](b []byte, p fastPage[T], appendItem func([]byte, *T) []byte) []byte {
	b = append(b, `{"success":true,"message":`...)
	b = jsontext.AppendString(b, p.msg)
	b = append(b, `,"data":[`...)
	for i := range p.res.Items {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendItem(b, &p.res.Items[i])
	}
	b = append(b, `],"pagination":{"page":`...)
	b = strconv.AppendInt(b, int64(p.res.Page), 10)
	b = append(b, `,"limit":`...)
	b = strconv.AppendInt(b, int64(p.res.Limit), 10)
	b = append(b, `,"total":`...)
	b = strconv.AppendInt(b, int64(p.res.Total), 10)
	b = append(b, `,"totalPages":`...)
	b = strconv.AppendInt(b, int64(p.res.TotalPages), 10)
	return append(b, `}}`...)
}

// writeCreatedLead answers POST /leads (the write profile's route) as ok(w, 201, "Lead created
// successfully", leadView(v)) would; TestFastCreatedLeadMatchesEncodingJSON keeps the bytes identical.
func writeCreatedLead(w http.ResponseWriter, v *cohortly.LeadView) {
	httpx.WriteAppended(w, http.StatusCreated, appendCreatedLead, v)
}

func appendCreatedLead(b []byte, v *cohortly.LeadView) []byte {
	b = append(b, `{"success":true,"message":"Lead created successfully","data":`...)
	b = appendLeadView(b, v)
	return append(b, '}')
}

// appendLeadView writes leadView(v) (leadWithUsersJSON).
func appendLeadView(b []byte, v *cohortly.LeadView) []byte {
	b = append(b, `{"id":`...)
	b = jsontext.AppendString(b, v.ID)
	b = append(b, `,"fullName":`...)
	b = jsontext.AppendString(b, v.FullName)
	b = append(b, `,"email":`...)
	b = jsontext.AppendString(b, v.Email)
	b = append(b, `,"phone":`...)
	b = appendStringPtr(b, v.Phone)
	b = append(b, `,"source":`...)
	b = jsontext.AppendString(b, string(v.Source))
	b = append(b, `,"status":`...)
	b = jsontext.AppendString(b, string(v.Status))
	b = append(b, `,"assignedTo":`...)
	b = appendStringPtr(b, v.AssignedTo)
	b = append(b, `,"createdBy":`...)
	b = jsontext.AppendString(b, v.CreatedBy)
	b = append(b, `,"createdAt":`...)
	b = appendTime(b, v.CreatedAt)
	b = append(b, `,"updatedAt":`...)
	b = appendTime(b, v.UpdatedAt)
	b = append(b, `,"assignedToUser":`...)
	if v.AssignedToUser == nil {
		b = append(b, "null"...)
	} else {
		b = appendUserRef(b, *v.AssignedToUser)
	}
	b = append(b, `,"createdByUser":`...)
	b = appendUserRef(b, v.CreatedByUser)
	return append(b, '}')
}

// appendBootcampView writes bootcampView(v) (bootcampJSON).
func appendBootcampView(b []byte, v *cohortly.BootcampView) []byte {
	b = append(b, `{"id":`...)
	b = jsontext.AppendString(b, v.ID)
	b = append(b, `,"title":`...)
	b = jsontext.AppendString(b, v.Title)
	b = append(b, `,"description":`...)
	b = jsontext.AppendString(b, v.Description)
	b = append(b, `,"mode":`...)
	b = jsontext.AppendString(b, string(v.Mode))
	b = append(b, `,"price":`...)
	b = append(b, v.Price.Normalized()...)
	b = append(b, `,"duration":`...)
	b = appendIntPtr(b, v.Duration)
	b = append(b, `,"isActive":`...)
	b = strconv.AppendBool(b, v.IsActive)
	b = append(b, `,"createdBy":`...)
	b = jsontext.AppendString(b, v.CreatedBy)
	b = append(b, `,"createdAt":`...)
	b = appendTime(b, v.CreatedAt)
	b = append(b, `,"updatedAt":`...)
	b = appendTime(b, v.UpdatedAt)
	b = append(b, `,"createdByUser":`...)
	b = appendUserRef(b, v.CreatedByUser)
	b = append(b, `,"_count":{"batches":`...)
	b = strconv.AppendInt(b, int64(v.Batches.Count), 10)
	b = append(b, `,"modules":`...)
	b = strconv.AppendInt(b, int64(v.ModuleCount), 10)
	b = append(b, `},"name":`...)
	b = jsontext.AppendString(b, v.Title)
	start, end := v.FrontendDates()
	b = append(b, `,"startDate":`...)
	b = appendTime(b, start)
	b = append(b, `,"endDate":`...)
	b = appendTime(b, end)
	b = append(b, `,"capacity":`...)
	b = strconv.AppendInt(b, int64(v.Batches.CapacitySum), 10)
	b = append(b, `,"status":`...)
	b = jsontext.AppendString(b, v.FrontendStatus())
	return append(b, '}')
}
