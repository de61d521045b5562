package model

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/nbsim/nbsim/report"
	"github.com/nbsim/nbsim/scenarios"
)

// MergeState completes a run's merge state (Output.State) for merge.json:
// the version of the binary that ran it, the scenario as run (YAML) and its
// hash with the seed left out, equal for every shard and every seed of one
// scenario (nbsim merge refuses runs whose hashes differ). It is nil when st
// is. nbsim run and nbsim sweep both write it, so that a sweep point's seeds
// merge like replications of nbsim run.
func MergeState(sc *scenarios.Scenario, st *report.State, version string) (*report.State, error) {
	if st == nil {
		return nil, nil
	}
	c := *st
	c.Version = version
	unseeded := *sc
	unseeded.Seed = 0
	y, err := unseeded.YAML()
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(y)
	c.ScenarioSHA256 = hex.EncodeToString(sum[:])
	asRun, err := sc.YAML()
	if err != nil {
		return nil, err
	}
	c.Scenario = string(asRun)
	return &c, nil
}
