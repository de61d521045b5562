package shard

import (
	"errors"
	"strings"
	"testing"

	"github.com/nbsim/nbsim/internal/inputerr"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// TestResolve: each source gives its shard; the flag wins when it agrees.
func TestResolve(t *testing.T) {
	for _, c := range []struct {
		name, flag string
		env        map[string]string
		want       string // i/N or "all"
		from       string // a part of From
	}{
		{"nothing", "", nil, "all", ""},
		{"flag", "2/4", nil, "2/4", "--shard 2/4"},
		{"flag 0/1", "0/1", nil, "0/1", "--shard 0/1"},
		{"none", "none", map[string]string{SlurmID: "3", SlurmCount: "4"}, "all", "--shard none"},
		{"none with a count alone", "none", map[string]string{Count: "4"}, "all", "--shard none"},
		{"slurm from 0", "", map[string]string{SlurmID: "3", SlurmCount: "4", SlurmMin: "0", SlurmMax: "3", SlurmStep: "1"}, "3/4", "SLURM_ARRAY_TASK_ID=3"},
		{"slurm without min/max/step", "", map[string]string{SlurmID: "2", SlurmCount: "4"}, "2/4", "SLURM_ARRAY_TASK_COUNT=4"},
		// --array=1-4: IDs 1..4 are shards 0..3.
		{"slurm from 1", "", map[string]string{SlurmID: "1", SlurmCount: "4", SlurmMin: "1", SlurmMax: "4"}, "0/4", "SLURM_ARRAY_TASK_MIN=1"},
		{"slurm from 1, last", "", map[string]string{SlurmID: "4", SlurmCount: "4", SlurmMin: "1", SlurmMax: "4"}, "3/4", ""},
		// --array=10-16:2: IDs 10, 12, 14, 16 are shards 0..3.
		{"slurm step", "", map[string]string{SlurmID: "14", SlurmCount: "4", SlurmMin: "10", SlurmMax: "16", SlurmStep: "2"}, "2/4", "SLURM_ARRAY_TASK_STEP=2"},
		{"slurm and agreeing flag", "1/4", map[string]string{SlurmID: "2", SlurmCount: "4", SlurmMin: "1"}, "1/4", "--shard 1/4"},
		{"slurm and agreeing count", "", map[string]string{SlurmID: "2", SlurmCount: "4", Count: "4"}, "2/4", ""},
		{"slurm before kubernetes", "", map[string]string{SlurmID: "2", SlurmCount: "4", K8sIndex: "0", Count: "4"}, "2/4", "SLURM"},
		{"kubernetes", "", map[string]string{K8sIndex: "3", Count: "5"}, "3/5", "JOB_COMPLETION_INDEX=3, NBSIM_SHARDS=5"},
		{"kubernetes and agreeing flag", "3/5", map[string]string{K8sIndex: "3", Count: "5"}, "3/5", "--shard 3/5"},
		{"kubernetes index, count from the flag", "3/5", map[string]string{K8sIndex: "3"}, "3/5", "--shard 3/5"},
		{"kubernetes index 03, count from the flag", "3/5", map[string]string{K8sIndex: "03"}, "3/5", "--shard 3/5"},
		{"empty variables are unset", "", map[string]string{SlurmID: "", K8sIndex: ""}, "all", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := Resolve(c.flag, env(c.env))
			if err != nil {
				t.Fatal(err)
			}
			if s.String() != c.want || !strings.Contains(s.From, c.from) {
				t.Errorf("got %s from %q, want %s from …%s…", s, s.From, c.want, c.from)
			}
			if s.Sharded() != (c.want != "all") {
				t.Errorf("Sharded() = %v for %s", s.Sharded(), s)
			}
		})
	}
}

// TestResolveErrors: every bad input is refused with an error naming the
// value, where it came from and what is allowed.
func TestResolveErrors(t *testing.T) {
	for _, c := range []struct {
		name, flag string
		env        map[string]string
		want       []string // parts of the message
	}{
		{"malformed", "2", nil, []string{"--shard 2", "not of the form i/N", "allowed: i/N with 0 ≤ i < N"}},
		{"malformed index", "a/4", nil, []string{"--shard a/4", "not of the form"}},
		{"malformed count", "1/", nil, []string{"--shard 1/", "not of the form"}},
		{"count 0", "0/0", nil, []string{"--shard 0/0", "count 0 is below 1"}},
		{"index = count", "4/4", nil, []string{"--shard 4/4", "index 4 is out of range for 4 shards"}},
		{"negative", "-1/4", nil, []string{"--shard -1/4", "index -1 is out of range"}},
		{"flag disagrees with slurm", "0/4", map[string]string{SlurmID: "2", SlurmCount: "4"},
			[]string{"--shard 0/4", "disagrees with the environment's shard 2/4", "SLURM_ARRAY_TASK_ID=2", "allowed:"}},
		{"flag's count disagrees with slurm", "2/8", map[string]string{SlurmID: "2", SlurmCount: "4"},
			[]string{"--shard 2/8", "disagrees", "2/4"}},
		{"flag disagrees with kubernetes", "1/5", map[string]string{K8sIndex: "3", Count: "5"},
			[]string{"--shard 1/5", "disagrees", "3/5", "JOB_COMPLETION_INDEX=3"}},
		{"slurm id malformed", "", map[string]string{SlurmID: "x", SlurmCount: "4"},
			[]string{"SLURM_ARRAY_TASK_ID=x", "not an integer", "allowed:"}},
		{"slurm count missing", "", map[string]string{SlurmID: "1"},
			[]string{"SLURM_ARRAY_TASK_ID=1", "SLURM_ARRAY_TASK_COUNT is not set"}},
		{"slurm count 0", "", map[string]string{SlurmID: "1", SlurmCount: "0"},
			[]string{"SLURM_ARRAY_TASK_COUNT=0", "not an integer ≥ 1"}},
		{"slurm min malformed", "", map[string]string{SlurmID: "1", SlurmCount: "4", SlurmMin: "one"},
			[]string{"SLURM_ARRAY_TASK_MIN=one"}},
		{"slurm step 0", "", map[string]string{SlurmID: "1", SlurmCount: "4", SlurmStep: "0"},
			[]string{"SLURM_ARRAY_TASK_STEP=0", "≥ 1"}},
		{"slurm max malformed", "", map[string]string{SlurmID: "1", SlurmCount: "4", SlurmMax: "3.5"},
			[]string{"SLURM_ARRAY_TASK_MAX=3.5"}},
		// --array=1,2,9: COUNT 3, MIN 1, MAX 9.
		{"slurm list", "", map[string]string{SlurmID: "9", SlurmCount: "3", SlurmMin: "1", SlurmMax: "9", SlurmStep: "1"},
			[]string{"SLURM_ARRAY_TASK_ID=9", "SLURM_ARRAY_TASK_MAX=9", "not a range of 3 IDs", "evenly spaced"}},
		{"slurm id off the step", "", map[string]string{SlurmID: "3", SlurmCount: "4", SlurmMin: "0", SlurmStep: "2"},
			[]string{"SLURM_ARRAY_TASK_ID=3", "task ID 3 is not MIN + k·STEP"}},
		{"slurm id below min", "", map[string]string{SlurmID: "0", SlurmCount: "4", SlurmMin: "1"},
			[]string{"SLURM_ARRAY_TASK_ID=0", "not MIN + k·STEP"}},
		{"slurm id out of range", "", map[string]string{SlurmID: "7", SlurmCount: "4"},
			[]string{"SLURM_ARRAY_TASK_ID=7", "(7 − 0) / 1 = 7 is out of range for 4 shards"}},
		{"flag disagrees with a kubernetes index alone", "1/5", map[string]string{K8sIndex: "3"},
			[]string{"--shard 1/5", "disagrees with the environment's shard index JOB_COMPLETION_INDEX=3", "allowed: --shard 3/N"}},
		{"kubernetes index alone malformed", "1/5", map[string]string{K8sIndex: "x"},
			[]string{"JOB_COMPLETION_INDEX=x", "not an integer"}},
		{"kubernetes without count", "", map[string]string{K8sIndex: "2"},
			[]string{"JOB_COMPLETION_INDEX=2", "NBSIM_SHARDS is not set", "spec.completions"}},
		{"kubernetes index malformed", "", map[string]string{K8sIndex: "two", Count: "4"},
			[]string{"JOB_COMPLETION_INDEX=two", "not an integer"}},
		{"kubernetes index out of range", "", map[string]string{K8sIndex: "4", Count: "4"},
			[]string{"JOB_COMPLETION_INDEX=4, NBSIM_SHARDS=4", "out of range for 4 shards"}},
		{"count malformed", "", map[string]string{K8sIndex: "1", Count: "four"},
			[]string{"NBSIM_SHARDS=four", "not an integer"}},
		{"count disagrees with slurm", "", map[string]string{SlurmID: "1", SlurmCount: "4", Count: "5"},
			[]string{"NBSIM_SHARDS=5", "disagrees", "shard count 4"}},
		{"count disagrees with the flag", "1/4", map[string]string{Count: "5"},
			[]string{"NBSIM_SHARDS=5", "disagrees with --shard 1/4"}},
		{"count alone", "", map[string]string{Count: "5"},
			[]string{"NBSIM_SHARDS=5", "a shard count but no index"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := Resolve(c.flag, env(c.env))
			if err == nil {
				t.Fatalf("accepted: %s from %q", s, s.From)
			}
			var ie *inputerr.Error
			if !errors.As(err, &ie) || ie.Allowed == "" {
				t.Errorf("%v: not an input error saying what is allowed", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}
