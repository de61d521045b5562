package scenarios

// ExpectAt is where expectation i came from: the file and line of its list
// entry, or SetFile and 0 for one given by --set (and "", 0 for a scenario
// not read by Parse, or i out of range).
func (s *Scenario) ExpectAt(i int) (file string, line int) {
	if i < 0 || i >= len(s.expectAt) {
		return "", 0
	}
	return s.expectAt[i].file, s.expectAt[i].line
}
