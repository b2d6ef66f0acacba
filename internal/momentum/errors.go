package momentum

import "github.com/momentum-cohortly/backends/internal/platform/apperr"

func invalid(msg string) *apperr.Error   { return apperr.New(apperr.KindInvalid, msg) }
func forbidden(msg string) *apperr.Error { return apperr.New(apperr.KindForbidden, msg) }
func notFound(msg string) *apperr.Error  { return apperr.New(apperr.KindNotFound, msg) }

// Client-visible messages of the legacy contract (§1.6, §2, §3), kept verbatim.
const (
	MsgTokenRequired      = "Access token required"
	MsgInvalidToken       = "Invalid or expired token"
	MsgAdminRequired      = "Admin access required"
	MsgRestaurantRequired = "Restaurant access required"
	MsgNoRestaurantOfUser = "Restaurant not found for user"
	MsgRestaurantNotFound = "Restaurant not found"
	MsgUserNotFound       = "User not found"
	MsgInvalidCredentials = "Invalid credentials"
)
