package store

import "fmt"

// DefaultLimit is the page size used when a list's Limit is zero.
const DefaultLimit = 100

// MaxLimit is the largest page size a store returns; larger limits are cut
// down to it.
const MaxLimit = 1000

// Page is one page of a listing.
type Page[T any] struct {
	// Items holds at most the requested number of records.
	Items []T
	// NextToken continues the listing; it is empty on the last page.
	NextToken string
}

// ListParams selects one page of an unfiltered listing.
type ListParams struct {
	// Limit is the page size: 0 means DefaultLimit; values above MaxLimit
	// are cut to MaxLimit.
	Limit int
	// NextToken is the token of the previous page, or empty for the first.
	NextToken string
}

// PageLimit returns the page size a store should use for limit, or an error
// wrapping ErrInvalidArgument if limit is negative.
func PageLimit(limit int) (int, error) {
	switch {
	case limit < 0:
		return 0, fmt.Errorf("limit %d: %w", limit, ErrInvalidArgument)
	case limit == 0:
		return DefaultLimit, nil
	case limit > MaxLimit:
		return MaxLimit, nil
	}
	return limit, nil
}
