package cohortly

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/momentum-cohortly/backends/internal/platform/apperr"
)

// StudentDB is what /student/db-credentials hands a student: a connection to the read-only database
// role configured in STUDENT_DB_URL. It is never derived from the application's DATABASE_URL (the
// legacy leaked the application's own credentials this way: B2).
type StudentDB struct {
	Host             string
	Port             int
	Database         string
	Username         string
	SSLMode          string
	ConnectionString string
	PgPass           string
	Instructions     string
}

const msgStudentDBOff = "Student database access is not configured"

// StudentDBCredentials returns the student's read-only connection details.
func (s *Service) StudentDBCredentials(ctx context.Context, p *Principal) (StudentDB, error) {
	if err := Can(&p.User, ActStudentDB); err != nil {
		return StudentDB{}, err
	}
	if s.studentDB == "" {
		return StudentDB{}, errKind(apperr.KindUnavailable, msgStudentDBOff)
	}
	u, err := url.Parse(s.studentDB)
	if err != nil || u.Host == "" {
		return StudentDB{}, internal(fmt.Errorf("STUDENT_DB_URL is not a URL"), "parse student database url")
	}
	d := StudentDB{Host: u.Hostname(), Port: 5432, Database: strings.TrimPrefix(u.Path, "/"), Username: u.User.Username(), SSLMode: "require"}
	if ps := u.Port(); ps != "" {
		if n, err := strconv.Atoi(ps); err == nil {
			d.Port = n
		}
	}
	if m := u.Query().Get("sslmode"); m != "" {
		d.SSLMode = m
	}
	pw, _ := u.User.Password()
	q := url.Values{}
	q.Set("sslmode", d.SSLMode)
	appName := "student_" + p.User.ID[:min(8, len(p.User.ID))]
	cs := url.URL{Scheme: "postgresql", User: url.UserPassword(d.Username, pw), Host: u.Host, Path: "/" + d.Database}
	d.ConnectionString = cs.String() + "?" + q.Encode() + "&application_name=" + appName
	d.PgPass = fmt.Sprintf("%s:%d:%s:%s:%s", d.Host, d.Port, d.Database, d.Username, pw)
	d.Instructions = "# Database access (read-only)\n\n" +
		"Your account connects with a read-only role: you can query the course data but not change it.\n\n" +
		"## Connect with psql\n\n```\npsql \"" + d.ConnectionString + "\"\n```\n\n" +
		"## Or store the password in ~/.pgpass (chmod 600)\n\n```\n" + d.PgPass + "\n```\n\nthen run:\n\n```\n" +
		fmt.Sprintf("psql -h %s -p %d -U %s -d %s", d.Host, d.Port, d.Username, d.Database) + "\n```\n"
	return d, nil
}

// StudentDBTest checks that the student database answers.
func (s *Service) StudentDBTest(ctx context.Context, p *Principal) (time.Time, error) {
	if err := Can(&p.User, ActStudentDB); err != nil {
		return time.Time{}, err
	}
	if s.studentDB == "" {
		return time.Time{}, errKind(apperr.KindUnavailable, msgStudentDBOff)
	}
	if s.studentChk != nil {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := s.studentChk(cctx); err != nil {
			return time.Time{}, &apperr.Error{Kind: apperr.KindUnavailable, Message: "Database connection test failed", Err: err}
		}
	}
	return s.Now(), nil
}
