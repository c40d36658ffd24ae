package umkm

// ListingSQL exposes a page's query to the tests of its plan.
func ListingSQL(f Filter, sc Scope) (string, []any, error) {
	l, err := newListing(f, sc)
	return l.sql, l.args, err
}
