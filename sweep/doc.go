// Package sweep runs campaigns: a base scenario over axes of --set values
// (a grid or zipped lists), each point with several seeds, in parallel, into
// an SQLite database in the campaign directory (one row per run, each run's
// results.json beside it), and builds one table row per point with each
// KPI's mean, standard deviation and 95 % confidence interval over seeds
// (sweep.csv, sweep.json, plots). Runs already done are skipped, so a
// campaign resumes after a kill; shards of a campaign write their own
// databases, which Collect merges. docs/planning.md documents the campaign
// format and the database.
//
// The pieces are separate for the commands that build on them: Parse and
// NewPlan (the campaign, every point validated before anything runs), Run
// (the runner and the database), Collect and Table (the tables).
package sweep
