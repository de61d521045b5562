package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/nbsim/nbsim/scenarios"
	"github.com/nbsim/nbsim/sweep"
)

// schemas are the JSON Schemas nbsim prints, by the name `nbsim schema`
// takes: the scenario's is generated from the scenario struct and the key
// documentation of docs/scenarios.md; the campaign's is written by hand and
// kept to the campaign parser's keys by a test. Both are checked on the
// shipped files and on bad ones.
var schemas = []struct {
	name string
	data []byte
}{
	{"scenario", scenarios.SchemaJSON},
	{"campaign", sweep.SchemaJSON},
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
  nbsim schema campaign > campaign.schema.json
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
