package scenarios

import (
	"embed"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// The shipped scenarios: every *.yaml file of this directory.
//
//go:embed *.yaml data/*.csv
var shippedFS embed.FS

// Info describes a shipped scenario.
type Info struct {
	Name        string // file name without .yaml: what Load accepts
	Description string // the file's description: field
}

var shippedOnce = sync.OnceValue(func() []Info {
	entries, _ := fs.ReadDir(shippedFS, ".")
	out := make([]Info, 0, len(entries))
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		data, _ := shippedFS.ReadFile(e.Name())
		var head struct {
			Description string `yaml:"description"`
		}
		_ = yaml.Unmarshal(data, &head)
		out = append(out, Info{Name: strings.TrimSuffix(e.Name(), ".yaml"), Description: head.Description})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
})

// Shipped lists the shipped scenarios sorted by name.
func Shipped() []Info {
	return append([]Info(nil), shippedOnce()...)
}

// ShippedFile returns the YAML of a shipped scenario, by name with or
// without the .yaml suffix.
func ShippedFile(name string) ([]byte, bool) {
	n := shippedName(name)
	if n == "" || strings.ContainsAny(n, `/\`) || strings.HasPrefix(n, ".") {
		return nil, false
	}
	data, err := shippedFS.ReadFile(n + ".yaml")
	if err != nil {
		return nil, false
	}
	return data, true
}

func shippedName(name string) string {
	return strings.TrimSuffix(name, ".yaml")
}

// SchemaJSON is the JSON Schema of a scenario file (draft 2020-12), for
// editors: generated from the Scenario struct and the key documentation by
// `go test ./scenarios -run TestDocs -update`, which fails when it is stale.
//
//go:embed schema/scenario.schema.json
var SchemaJSON []byte

// YAML is the scenario as it runs, every key with its value (defaults and
// overrides resolved), in the file format: what report.html shows and what
// Parse reads back to the same scenario. With a sites_file, the sites are
// left to it (`sites: []`): the file is read again, on the origin the
// scenario ran with.
func (s *Scenario) YAML() ([]byte, error) {
	if s.SitesFile != "" {
		c := *s
		c.SiteList = nil
		return yaml.Marshal(&c)
	}
	return yaml.Marshal(s)
}
