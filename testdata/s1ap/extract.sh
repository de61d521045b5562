#!/usr/bin/env bash
# Dump every S1AP PDU of the shared captures as one line each:
#   file <TAB> frame <TAB> pdu# in frame <TAB> PDU type <TAB> procedureCode <TAB> message <TAB> hex
# tshark does the SCTP reassembly and splits bundled DATA chunks, so a frame
# carrying several S1AP PDUs gives several lines (pdu# 0, 1, ...).
# Needs tshark (checked with 4.0.17) and jq.  Usage:
#   testdata/s1ap/extract.sh [captures-dir] > testdata/s1ap/captures.txt
# The default captures-dir is shared/captures beside the repository
# (../shared/captures from its root), where the tests look for them
# (internal/testutil.Captures).
set -euo pipefail
dir=${1:-$(cd "$(dirname "$0")" && pwd)/../../../shared/captures}
echo "# S1AP PDUs extracted by testdata/s1ap/extract.sh with $(tshark --version 2>/dev/null | head -1)"
echo "# file	frame	pdu	type	procedureCode	message	hex"
for f in "$dir"/*.pcap "$dir"/*.pcapng; do
	[ -e "$f" ] || continue
	base=$(basename "$f")
	tshark -r "$f" -Y s1ap -T json --no-duplicate-keys -x -J "frame s1ap" 2>/dev/null |
		jq -r --arg file "$base" '
		  def arr: if type == "array" then . else [.] end;
		  def name(k): [keys[] | select(endswith("_element"))][0] | ltrimstr("s1ap.") | rtrimstr("_element");
		  .[]._source.layers
		  | .frame["frame.number"] as $fn
		  | (.s1ap | arr) as $pdus
		  | (.s1ap_raw | if (.[0] | type) == "string" then [.] else . end) as $raws
		  | range(0; $pdus | length) as $i
		  | $pdus[$i]["s1ap.S1AP_PDU_tree"] as $t
		  | ($t | name(.)) as $type
		  | $t["s1ap." + $type + "_element"] as $m
		  | [$file, $fn, $i, $type, $m["s1ap.procedureCode"],
		     ($m["s1ap.value_element"] | name(.)), $raws[$i][0]]
		  | @tsv'
done
