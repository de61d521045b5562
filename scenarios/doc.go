// Package scenarios is nbsim's input: the scenario YAML format, its one
// documented default per key, its validation, the --set overrides, and the
// shipped scenarios.
//
//   - The format. Scenario is the configuration: one field per YAML key
//     (config.go), from the top-level keys (name, description, seed,
//     duration, signalling, expect) down to the sections radio, sites or
//     site_layout, random_access, rrc, core and the device groups under
//     groups (each group's count, placement, power-saving requests, traffic
//     and battery). Durations are Go durations, days ("7d") or seconds
//     (Duration).
//   - Defaults. Default and DefaultGroup (defaults.go) hold the one default
//     of every field, with where each value comes from; a file is decoded
//     on top of them and names only what it changes (lists entry by entry,
//     groups on DefaultGroup).
//   - Reading. Load takes a file path or a shipped scenario's name; Parse
//     decodes YAML bytes, applies "key.path=value" overrides (the --set of
//     the CLI) to the document before decoding, and validates. Unknown keys,
//     wrong types and every problem found are returned together as Errors,
//     each with file, line, key path and the allowed values
//     (internal/inputerr).
//   - Validation. Validate checks values against the 3GPP value sets
//     (NPRACH, C-DRX and paging parameters of TS 36.331, repetition numbers
//     of TS 36.213, eDRX cycles and PTWs of TS 24.008 Table 10.5.5.32, the
//     T3324 and T3412 maxima of GPRS timers 2 and 3, TS 24.008 §10.5.7.4 and
//     §10.5.7.4a, ...), the limits of the simulator, the cross-field rules,
//     and the syntax of each expect entry (the results are checked against
//     them after the run, by the report package).
//   - Shipped scenarios. Every *.yaml file of this directory is embedded in
//     the binary (Shipped, ShippedFile), so `nbsim run NAME` works anywhere.
//
// docs/scenarios.md documents every key with its default and allowed
// values; a test (docs_test.go) checks its key table against Default.
package scenarios
