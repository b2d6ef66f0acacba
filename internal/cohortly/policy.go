package cohortly

// Action is one thing a caller may ask for. The API names the action of every route; the service checks
// it again inside every method, so no path can skip authorization.
type Action int

const (
	ActSelf Action = iota + 1 // me, update me, logout, logout-all: any authenticated user

	ActLeads // every lead operation

	ActReadBootcamps  // bootcamps and batches, read
	ActWriteBootcamps // bootcamp create/update/delete, batch create, assign instructor/mentor

	ActWriteEnrollments // create, update
	ActListEnrollments  // list (STUDENT: own only), by student (STUDENT: own only)
	ActStaffEnrollments // by bootcamp
	ActReadEnrollment   // get one (STUDENT: own only)
	ActEnrollmentAdmin  // status update, delete
	ActReadAssignments  // assignments and submissions, read (STUDENT: own submissions only)
	ActWriteAssignments // assignment create/update/delete
	ActSubmit           // submit an assignment
	ActGrade            // grade, pending grades
	ActStudentDB        // /student/db-*
)

var (
	any_   = []Role{RoleAdmin, RoleSales, RoleInstructor, RoleMentor, RoleStudent}
	policy = [...][]Role{
		ActSelf:             any_,
		ActLeads:            {RoleAdmin, RoleSales},
		ActReadBootcamps:    any_,
		ActWriteBootcamps:   {RoleAdmin},
		ActWriteEnrollments: {RoleAdmin, RoleSales},
		ActListEnrollments:  {RoleAdmin, RoleSales, RoleInstructor, RoleStudent},
		ActStaffEnrollments: {RoleAdmin, RoleSales, RoleInstructor},
		ActReadEnrollment:   any_,
		ActEnrollmentAdmin:  {RoleAdmin},
		ActReadAssignments:  any_,
		ActWriteAssignments: {RoleAdmin, RoleInstructor},
		ActSubmit:           {RoleStudent},
		ActGrade:            {RoleAdmin, RoleInstructor, RoleMentor},
		ActStudentDB:        {RoleStudent},
	}
)

// Allowed reports whether role may perform a. It is the role matrix of the contract (§3.1) with the
// rewrite's decisions: STUDENTs may list their own enrollments; submissions and enrollments of other
// students stay invisible to them (checked per record by the service).
func Allowed(role Role, a Action) bool {
	if a <= 0 || int(a) >= len(policy) {
		return false
	}
	for _, r := range policy[a] {
		if r == role {
			return true
		}
	}
	return false
}

// AllowedRoles lists the roles that may perform a, for statements that admit their caller in the
// database (the same matrix as Allowed).
func AllowedRoles(a Action) []Role {
	if a <= 0 || int(a) >= len(policy) {
		return nil
	}
	return append([]Role(nil), policy[a]...)
}

// Can returns the legacy 403 unless u may perform a.
func Can(u *User, a Action) error {
	if u == nil || !Allowed(u.Role, a) {
		return ErrForbidden()
	}
	return nil
}
