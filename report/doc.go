// Package report holds the results of a simulation run, their stable JSON
// schema, the files written for a run and the KPI assertions ("expect").
//
// The model package fills a Results (and, for the plots, a Samples and a
// TimeSeries) and then calls:
//
//   - Evaluate, to check the scenario's expectations ("PATH OP NUMBER");
//   - WriteDir, to write results.json, timeseries.csv and the PNG plots
//     into the --out directory, all or nothing;
//   - Summary, to print a short human-readable summary.
//
// # Schema
//
// The JSON names of Results and everything below it form a documented,
// stable schema (docs/results.md): fields are only added, never renamed or
// removed, and their meaning never changes. Counts are integers, times carry
// their unit in the name (_ms, _s, years), energies too (_mj, _j).
//
// # Determinism
//
// The package has no global state and never reads the wall clock. For the
// same Results, Marshal (and so results.json) produces the same bytes:
// encoding/json sorts map keys and prints floats in their shortest exact
// form, nil slices and maps are written as [] and {} rather than null, and
// no timestamp is written anywhere. The only run-dependent block is "perf"
// (wall-clock speed), which the model sets; determinism tests compare
// Marshal of Results.WithoutPerf. JSON cannot encode NaN or ±Inf: Marshal
// refuses them with an error naming the field, and the statistics helpers
// (Quantiles, BatteryStats, Ratio, Div) never produce them.
package report
