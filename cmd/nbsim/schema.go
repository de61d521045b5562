package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/nbsim/nbsim/scenarios"
)

// schemas are the JSON Schemas nbsim prints, by the name `nbsim schema`
// takes. Each is generated from the structs that define the format, with
// the same key documentation as docs/, and checked by a test.
var schemas = []struct {
	name string
	data []byte
}{
	{"scenario", scenarios.SchemaJSON},
}

func newSchema(stdout io.Writer) *cobra.Command {
	names := make([]string, len(schemas))
	for i, s := range schemas {
		names[i] = s.name
	}
	return &cobra.Command{
		Use:   "schema KIND",
		Short: "Print the JSON Schema of a file format, for editors",
		Long: `Print the JSON Schema (draft 2020-12) of a file format, for editors that
validate and complete YAML, e.g. with the YAML language server:

  nbsim schema scenario > scenario.schema.json
  # yaml-language-server: $schema=./scenario.schema.json      (first line of a scenario)

The schema checks keys, types, value sets and simple ranges; 'nbsim check'
also checks the rules between keys (docs/scenarios.md, Editor support).`,
		ValidArgs: names,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{fmt.Errorf("schema: want one KIND (%v), got %d arguments", names, len(args))}
			}
			for _, s := range schemas {
				if s.name == args[0] {
					_, err := stdout.Write(s.data)
					return err
				}
			}
			return usageError{fmt.Errorf("schema: unknown kind %q (allowed: %v)", args[0], names)}
		},
	}
}
