package momentum

import (
	"context"
	"errors"
	"fmt"
)

// Action is one thing a caller may ask for. The API names the action of every authenticated route and
// checks it before reading the request (a refusal answers before a 400, as the legacy guards did); the
// service checks it again in every method that acts for a caller, and resolves the restaurant the
// action touches here, so no path can skip authorization or pick its restaurant another way.
type Action int

const (
	ActProfile        Action = iota + 1 // me
	ActReadCatalogue                    // checklist categories and items, without anyone's progress
	ActPreview                          // ad and SMS previews (nothing is stored or sent)
	ActChecklist                        // a restaurant's checklist progress, read and write, by restaurant id
	ActRestaurant                       // dashboard, tasks and campaigns of the restaurant the caller acts for
	ActImpersonate                      // start and end impersonation
	ActAdminDashboard                   // platform counts, restaurant search
)

// standing is what a caller is for authorization: a restaurant owner, an admin, an admin acting as a
// restaurant (Authenticate admits impersonation for admins only), or a user whose role the legacy never
// wrote, who gets what any valid token gets and nothing of an admin's or a restaurant's.
type standing int

const (
	asRestaurant standing = iota
	asAdmin
	asImpersonator
	asOther
)

func (p *Principal) standing() standing {
	switch p.User.Role {
	case RoleRestaurant:
		return asRestaurant
	case RoleAdmin:
		if p.Impersonating != 0 {
			return asImpersonator
		}
		return asAdmin
	}
	return asOther
}

// scope says which restaurant an action works on.
type scope int

const (
	scopeNone scope = iota
	// scopeContext: the restaurant the caller acts for, their own or the one an admin impersonates.
	scopeContext
	// scopeNamed: the restaurant the request names, for admins ("me": the impersonated one). A restaurant
	// owner always gets their own, whatever id the request names: the shipped React client asks for
	// restaurant 1 on every account (contract §6.1), and only the owner's own restaurant may be touched.
	scopeNamed
)

type rule struct {
	who   []standing
	deny  string // the legacy 403 message for everyone else
	scope scope
}

var (
	anyToken = []standing{asRestaurant, asAdmin, asImpersonator, asOther}
	admins   = []standing{asAdmin, asImpersonator}
	policy   = [...]rule{
		ActProfile:        {anyToken, "", scopeNone},
		ActReadCatalogue:  {anyToken, "", scopeNone},
		ActPreview:        {anyToken, "", scopeNone},
		ActChecklist:      {[]standing{asRestaurant, asAdmin, asImpersonator}, MsgRestaurantRequired, scopeNamed},
		ActRestaurant:     {[]standing{asRestaurant, asImpersonator}, MsgRestaurantRequired, scopeContext},
		ActImpersonate:    {admins, MsgAdminRequired, scopeNone},
		ActAdminDashboard: {admins, MsgAdminRequired, scopeNone},
	}
)

// Can returns the legacy 403 unless p may perform a. It is the role matrix of the contract (§0, §2.4)
// with the rewrite's decisions: the checklist needs a token, and an impersonating admin keeps every
// admin right (legacy) while also acting as the restaurant.
func Can(p *Principal, a Action) error {
	if p == nil || a <= 0 || int(a) >= len(policy) {
		return forbidden(MsgAdminRequired)
	}
	r := policy[a]
	st := p.standing()
	for _, w := range r.who {
		if w == st {
			return nil
		}
	}
	return forbidden(r.deny)
}

// RestaurantRef is a restaurant id taken from a request: a positive id, or Me for the caller's own
// restaurant.
type RestaurantRef struct {
	ID int64
	Me bool
}

// restaurantFor checks that p may perform a and returns the restaurant a works on (ref: the one the
// request names, for scopeNamed actions). Unknown restaurants are 404.
func (s *Service) restaurantFor(ctx context.Context, p *Principal, a Action, ref RestaurantRef) (Restaurant, error) {
	if err := Can(p, a); err != nil {
		return Restaurant{}, err
	}
	switch policy[a].scope {
	case scopeContext:
		return s.actingFor(ctx, p)
	case scopeNamed:
		if ref.Me || p.standing() == asRestaurant {
			return s.actingFor(ctx, p)
		}
		r, err := s.store.RestaurantByID(ctx, ref.ID)
		if errors.Is(err, ErrNotFound) {
			return Restaurant{}, notFound(MsgRestaurantNotFound)
		}
		if err != nil {
			return Restaurant{}, fmt.Errorf("restaurant %d: %w", ref.ID, err)
		}
		return r, nil
	}
	return Restaurant{}, fmt.Errorf("action %d works on no restaurant", a)
}

// actingFor is the restaurant the caller acts for: their own (restaurant role) or the one an admin
// impersonates.
func (s *Service) actingFor(ctx context.Context, p *Principal) (Restaurant, error) {
	switch p.standing() {
	case asRestaurant:
		if p.Restaurant == nil {
			return Restaurant{}, notFound(MsgNoRestaurantOfUser)
		}
		return *p.Restaurant, nil
	case asImpersonator:
		r, err := s.store.RestaurantByID(ctx, p.Impersonating)
		if errors.Is(err, ErrNotFound) {
			return Restaurant{}, notFound(MsgRestaurantNotFound)
		}
		if err != nil {
			return Restaurant{}, fmt.Errorf("impersonated restaurant %d: %w", p.Impersonating, err)
		}
		return r, nil
	}
	return Restaurant{}, forbidden(MsgRestaurantRequired)
}
