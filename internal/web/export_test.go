package web

// KantorPatterns are the patterns of every office page ("GET
// /t/{tenant}/umkm"), for the isolation tests of package web_test.
func KantorPatterns() ([]string, error) {
	a, err := New(Deps{})
	if err != nil {
		return nil, err
	}
	return a.kantorPatterns, nil
}
