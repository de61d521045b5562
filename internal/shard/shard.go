// Package shard tells a process which shard of a sharded piece of work it
// is (nbsim sweep --shard, nbsim run --shard): from the --shard i/N flag,
// else from a Slurm job array's environment, else from a Kubernetes Indexed
// Job's. Every command that shards resolves its shard here, so the sources,
// their precedence and their errors are the same everywhere (docs/scale.md).
//
// Sources, in order:
//
//   - the flag: --shard i/N (0 ≤ i < N), or --shard none (run everything,
//     whatever the environment says: for a command run inside an array task
//     that is not a shard of it);
//   - Slurm job arrays (sbatch --array): SLURM_ARRAY_TASK_ID,
//     SLURM_ARRAY_TASK_COUNT, and SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_STEP
//     and SLURM_ARRAY_TASK_MAX (sbatch(1), OUTPUT ENVIRONMENT VARIABLES). The
//     shard index is (ID − MIN) / STEP, so --array=1-4 and --array=0-6:2 are
//     shards 0..3 of 4; the array must be an evenly spaced range (a list such
//     as --array=1,2,9 is refused: its IDs do not number the shards);
//   - Kubernetes Indexed Jobs (completionMode: Indexed): JOB_COMPLETION_INDEX
//     is the index (set by the control plane in every pod); the count is not
//     in a pod's environment, so the manifest sets NBSIM_SHARDS to the Job's
//     spec.completions (deploy/kubernetes/), or passes --shard
//     $(JOB_COMPLETION_INDEX)/N, whose index must then be the pod's.
//
// NBSIM_SHARDS, when set, is the shard count every source must agree with.
// A flag given inside an array task must name the task's own shard. Every
// error names the value, where it came from and what is allowed; callers
// exit 2 before writing anything.
package shard

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/nbsim/nbsim/internal/inputerr"
)

// The environment variables read.
const (
	SlurmID    = "SLURM_ARRAY_TASK_ID"
	SlurmCount = "SLURM_ARRAY_TASK_COUNT"
	SlurmMin   = "SLURM_ARRAY_TASK_MIN"
	SlurmMax   = "SLURM_ARRAY_TASK_MAX"
	SlurmStep  = "SLURM_ARRAY_TASK_STEP"
	K8sIndex   = "JOB_COMPLETION_INDEX"
	Count      = "NBSIM_SHARDS"
)

// None is the flag value that runs everything whatever the environment says.
const None = "none"

// FlagUsage is the help text of a --shard flag.
const FlagUsage = "run only shard i of N (i/N, 0 ≤ i < N); default: from a Slurm job array " +
	"(SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, NBSIM_SHARDS), " +
	"else everything; none: everything whatever the environment says"

const allowedFlag = "i/N with 0 ≤ i < N, e.g. 0/4, or none"

// Shard is one shard of a piece of work. Count 0 is the whole work
// (no shard given anywhere, or --shard none).
type Shard struct {
	Index, Count int
	From         string // where it came from: "--shard 2/4", "SLURM_ARRAY_TASK_ID=3 (…)"
}

// Sharded tells whether a shard was given (Count > 0).
func (s Shard) Sharded() bool { return s.Count > 0 }

// String is i/N, or "all" for the whole work.
func (s Shard) String() string {
	if !s.Sharded() {
		return "all"
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// FromOS resolves the shard from the flag value (empty: the flag was not
// given) and the process environment.
func FromOS(flag string) (Shard, error) { return Resolve(flag, os.LookupEnv) }

// Resolve resolves the shard from the flag value (empty: not given) and the
// environment read through lookup (os.LookupEnv, or a map in tests).
func Resolve(flag string, lookup func(string) (string, bool)) (Shard, error) {
	if flag == None {
		return Shard{From: "--shard none"}, nil
	}
	var f Shard
	if flag != "" {
		var err error
		if f, err = Parse(flag); err != nil {
			return Shard{}, err
		}
	}
	if f.Sharded() && kubernetesIndexOnly(lookup) {
		// A pod without NBSIM_SHARDS: the flag gives the count, the
		// environment's index must be the flag's.
		k, _, err := envInt(lookup, K8sIndex, 0, 0, "an integer ≥ 0, set by an Indexed Job")
		if err != nil {
			return Shard{}, err
		}
		if k != f.Index {
			return Shard{}, &inputerr.Error{Path: f.From,
				Msg:     fmt.Sprintf("disagrees with the environment's shard index %s=%d", K8sIndex, k),
				Allowed: fmt.Sprintf("--shard %d/N, no --shard (with NBSIM_SHARDS set to the Job's completions), or --shard none (everything)", k)}
		}
		return f, nil
	}
	e, err := fromEnv(lookup)
	if err != nil {
		return Shard{}, err
	}
	if err := agreesWithCount(f, e, lookup); err != nil {
		return Shard{}, err
	}
	switch {
	case f.Sharded() && e.Sharded():
		if f.Index != e.Index || f.Count != e.Count {
			return Shard{}, &inputerr.Error{Path: f.From,
				Msg:     fmt.Sprintf("disagrees with the environment's shard %s (%s)", e, e.From),
				Allowed: "the same shard as the environment, no --shard (the environment's), or --shard none (everything)"}
		}
		return f, nil
	case f.Sharded():
		return f, nil
	}
	return e, nil
}

// Parse reads a --shard value i/N.
func Parse(s string) (Shard, error) {
	from := "--shard " + s
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	switch {
	case !ok || err1 != nil || err2 != nil:
		return Shard{}, &inputerr.Error{Path: from, Msg: "not of the form i/N", Allowed: allowedFlag}
	case n < 1:
		return Shard{}, &inputerr.Error{Path: from, Msg: fmt.Sprintf("shard count %d is below 1", n), Allowed: allowedFlag}
	case i < 0 || i >= n:
		return Shard{}, &inputerr.Error{Path: from, Msg: fmt.Sprintf("shard index %d is out of range for %d shards", i, n), Allowed: allowedFlag}
	}
	return Shard{Index: i, Count: n, From: from}, nil
}

// fromEnv reads the shard of a Slurm array task, else of a Kubernetes
// Indexed Job's pod; Count 0 when neither is set.
func fromEnv(lookup func(string) (string, bool)) (Shard, error) {
	if v, ok := lookup(SlurmID); ok && v != "" {
		return fromSlurm(lookup)
	}
	if v, ok := lookup(K8sIndex); ok && v != "" {
		return fromKubernetes(lookup)
	}
	return Shard{}, nil
}

// kubernetesIndexOnly tells whether JOB_COMPLETION_INDEX is set and
// neither NBSIM_SHARDS nor a Slurm array is.
func kubernetesIndexOnly(lookup func(string) (string, bool)) bool {
	set := func(k string) bool { v, ok := lookup(k); return ok && v != "" }
	return set(K8sIndex) && !set(Count) && !set(SlurmID)
}

// envInt reads the integer variable name; def when unset, an error naming
// the variable when set to anything but an integer ≥ min.
func envInt(lookup func(string) (string, bool), name string, def, min int, allowed string) (int, bool, error) {
	v, ok := lookup(name)
	if !ok || v == "" {
		return def, false, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < min {
		return 0, true, &inputerr.Error{Path: "environment " + name + "=" + v,
			Msg: "not an integer ≥ " + strconv.Itoa(min), Allowed: allowed}
	}
	return n, true, nil
}

const allowedSlurm = "the variables sbatch --array sets (a range a-b or a-b:s); or --shard i/N, or --shard none"

// fromSlurm numbers the task among the array's: (ID − MIN) / STEP of COUNT.
func fromSlurm(lookup func(string) (string, bool)) (Shard, error) {
	id, _, err := envInt(lookup, SlurmID, 0, 0, allowedSlurm)
	if err != nil {
		return Shard{}, err
	}
	count, ok, err := envInt(lookup, SlurmCount, 0, 1, allowedSlurm)
	if err != nil {
		return Shard{}, err
	}
	if !ok {
		return Shard{}, &inputerr.Error{Path: fmt.Sprintf("environment %s=%d", SlurmID, id),
			Msg: SlurmCount + " is not set, so the shard count is unknown", Allowed: allowedSlurm}
	}
	lo, _, err := envInt(lookup, SlurmMin, 0, 0, allowedSlurm)
	if err != nil {
		return Shard{}, err
	}
	step, _, err := envInt(lookup, SlurmStep, 1, 1, allowedSlurm)
	if err != nil {
		return Shard{}, err
	}
	hi, hasMax, err := envInt(lookup, SlurmMax, 0, 0, allowedSlurm)
	if err != nil {
		return Shard{}, err
	}
	from := fmt.Sprintf("%s=%d (%s=%d, %s=%d, %s=%d", SlurmID, id, SlurmMin, lo, SlurmStep, step, SlurmCount, count)
	if hasMax {
		from += fmt.Sprintf(", %s=%d", SlurmMax, hi)
	}
	from += ")"
	e := &inputerr.Error{Path: "environment " + from, Allowed: "an array of evenly spaced task IDs (sbatch --array=a-b or a-b:s) " +
		"whose IDs number shards 0..COUNT−1 from MIN; or --shard i/N outside an array"}
	switch {
	case hasMax && hi != lo+(count-1)*step:
		e.Msg = fmt.Sprintf("the array is not a range of %d IDs %d, %d, … %d (a list such as --array=1,2,9?), so its task IDs do not number the shards",
			count, lo, lo+step, lo+(count-1)*step)
	case id < lo || (id-lo)%step != 0:
		e.Msg = fmt.Sprintf("task ID %d is not MIN + k·STEP", id)
	case (id-lo)/step >= count:
		e.Msg = fmt.Sprintf("shard index (%d − %d) / %d = %d is out of range for %d shards", id, lo, step, (id-lo)/step, count)
	default:
		return Shard{Index: (id - lo) / step, Count: count, From: from}, nil
	}
	return Shard{}, e
}

// fromKubernetes takes the index from JOB_COMPLETION_INDEX and the count
// from NBSIM_SHARDS, which the manifest sets to the Job's completions.
func fromKubernetes(lookup func(string) (string, bool)) (Shard, error) {
	allowed := "JOB_COMPLETION_INDEX from an Indexed Job and NBSIM_SHARDS set to its spec.completions " +
		"(deploy/kubernetes/); or --shard i/N, or --shard none"
	i, _, err := envInt(lookup, K8sIndex, 0, 0, allowed)
	if err != nil {
		return Shard{}, err
	}
	n, ok, err := envInt(lookup, Count, 0, 1, allowed)
	if err != nil {
		return Shard{}, err
	}
	from := fmt.Sprintf("%s=%d, %s=%d", K8sIndex, i, Count, n)
	switch {
	case !ok:
		return Shard{}, &inputerr.Error{Path: fmt.Sprintf("environment %s=%d", K8sIndex, i),
			Msg: "the shard count is not in a pod's environment: " + Count + " is not set", Allowed: allowed}
	case i >= n:
		return Shard{}, &inputerr.Error{Path: "environment " + from,
			Msg: fmt.Sprintf("shard index %d is out of range for %d shards", i, n), Allowed: allowed}
	}
	return Shard{Index: i, Count: n, From: from}, nil
}

// agreesWithCount checks NBSIM_SHARDS, when set, against the flag's count
// and a Slurm array's (a Kubernetes shard took its count from it), and
// refuses it alone: a count without an index.
func agreesWithCount(f, e Shard, lookup func(string) (string, bool)) error {
	n, ok, err := envInt(lookup, Count, 0, 1, "the number of shards: the Job's spec.completions or the array's size")
	if err != nil || !ok {
		return err
	}
	for _, s := range []Shard{f, e} {
		if s.Sharded() && s.Count != n {
			return &inputerr.Error{Path: fmt.Sprintf("environment %s=%d", Count, n),
				Msg:     fmt.Sprintf("disagrees with %s's shard count %d", s.From, s.Count),
				Allowed: "the same count everywhere (the Job's spec.completions, the array's size, --shard i/N's N)"}
		}
	}
	if !f.Sharded() && !e.Sharded() {
		return &inputerr.Error{Path: fmt.Sprintf("environment %s=%d", Count, n),
			Msg:     "a shard count but no index: neither --shard, " + SlurmID + " nor " + K8sIndex + " is set",
			Allowed: "NBSIM_SHARDS with JOB_COMPLETION_INDEX or a Slurm array, or unset; --shard none runs everything"}
	}
	return nil
}
