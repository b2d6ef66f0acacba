package api

import (
	"net/http"

	"github.com/momentum-cohortly/backends/internal/cohortly"
)

type credentialsJSON struct {
	Host             string `json:"host"`
	Database         string `json:"database"`
	Username         string `json:"username"`
	Port             int    `json:"port"`
	SSLMode          string `json:"sslmode"`
	ConnectionString string `json:"connectionString"`
}

type studentDBJSON struct {
	Credentials       credentialsJSON `json:"credentials"`
	PgpassContent     string          `json:"pgpassContent"`
	SetupInstructions string          `json:"setupInstructions"`
}

func (a *API) studentDBCredentials(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	d, err := a.svc.StudentDBCredentials(r.Context(), p)
	if err != nil {
		return err
	}
	ok(w, http.StatusOK, "Database credentials retrieved successfully", studentDBJSON{
		Credentials:   credentialsJSON{Host: d.Host, Database: d.Database, Username: d.Username, Port: d.Port, SSLMode: d.SSLMode, ConnectionString: d.ConnectionString},
		PgpassContent: d.PgPass, SetupInstructions: d.Instructions})
	return nil
}

type quickStartJSON struct {
	Windows string `json:"windows"`
	Linux   string `json:"linux"`
	Manual  string `json:"manual"`
}

type setupJSON struct {
	Instructions string         `json:"instructions"`
	QuickStart   quickStartJSON `json:"quickStart"`
}

func (a *API) studentDBSetup(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	d, err := a.svc.StudentDBCredentials(r.Context(), p)
	if err != nil {
		return err
	}
	ok(w, http.StatusOK, "Setup instructions retrieved successfully", setupJSON{Instructions: d.Instructions, QuickStart: quickStartJSON{
		Windows: "Run setup-db.ps1 script provided in your student portal",
		Linux:   "Run setup-db.sh script provided in your student portal",
		Manual:  "Create .pgpass file with credentials from /api/v1/student/db-credentials",
	}})
	return nil
}

type dbTestJSON struct {
	Connected bool        `json:"connected"`
	Timestamp jtime       `json:"timestamp"`
	User      userRefJSON `json:"user"`
}

func (a *API) studentDBTest(w http.ResponseWriter, r *http.Request, p *cohortly.Principal) error {
	at, err := a.svc.StudentDBTest(r.Context(), p)
	if err != nil {
		return err
	}
	ok(w, http.StatusOK, "Database connection successful", dbTestJSON{Connected: true, Timestamp: jt(at), User: refJSON(p.User.Ref())})
	return nil
}
