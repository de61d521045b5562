// Package deploy holds nbsim's job files for clusters (docs/scale.md):
// slurm/, sbatch array scripts and their merge jobs, and kubernetes/, an
// Indexed Job per kind of sharded work with its merge Job. It has no code:
// its tests check the files. TestKubernetesManifests decodes every manifest
// strictly into the k8s.io/api types, checks what the shards depend on and
// runs the container commands locally, one per completion index;
// TestSlurm (not in -short; root and apt-get, or Slurm installed) starts a
// one-node Slurm (scripts/slurm-local.sh), submits the shipped array scripts
// and checks the merged results against an unsharded run.
package deploy
