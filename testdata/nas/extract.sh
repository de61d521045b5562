#!/usr/bin/env bash
# extract.sh — dump every NAS-EPS PDU of the shared captures as hex, with
# tshark (4.0.x) as the independent reference, for epc/nas's capture test.
#
# Usage: testdata/nas/extract.sh [CAPTURE_DIR]
#   (default: shared/captures beside the repository, ../shared/captures from
#   its root, where the tests look for them: internal/testutil.Captures)
# Writes, next to this script:
#   captures.txt  file<TAB>frame<TAB>dir<TAB>hex       one line per NAS PDU
#   fields.txt    file<TAB>frame<TAB>field<TAB>values   tshark's own decoding
#
# Sources of NAS bytes:
#   S1AP files:    s1ap.NAS_PDU and s1ap.nAS_PDU (the latter inside E-RAB lists);
#                  dir = UL when the SCTP destination port is 36412 (eNB -> MME).
#   GSMTAP files:  payload type 18 (LTE NAS, plain as logged by the modem): the
#                  UDP payload minus the GSMTAP header (gsmtap.hdr_len, in octets);
#                  payload type 13 (LTE RRC): lte-rrc.dedicatedInfoNAS and
#                  lte-rrc.DedicatedInfoNAS (the security-protected form);
#                  dir from the GSMTAP uplink flag.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$here/../../../shared/captures}
out=$here/captures.txt
fields=$here/fields.txt
: >"$out"
: >"$fields"
# Fields compared by the Go test (nas_eps / e212 / gsm_a, NAS-only where possible).
F=(e212.imsi nas_eps.emm.cause nas_eps.esm.cause gsm_a.gm.gmm.gprs_timer_value
   gsm_a.gm.gmm.gprs_timer_unit nas_eps.emm.tai_tac nas_eps.emm.m_tmsi
   nas_eps.nas_msg_emm_type nas_eps.nas_msg_esm_type gsm_a.gm.sm.apn)

emit_fields() { # file capture filter
  local f=$1 cap=$2 filt=$3 args=()
  for x in "${F[@]}"; do args+=(-e "$x"); done
  tshark -r "$cap" -Y "$filt" -T fields -E separator=/t -E occurrence=a -E aggregator=';' \
      -e frame.number "${args[@]}" 2>/dev/null |
  awk -F'\t' -v file="$f" -v names="${F[*]}" '
    BEGIN { n = split(names, nm, " ") }
    { for (i = 1; i <= n; i++) if ($(i+1) != "") printf "%s\t%s\t%s\t%s\n", file, $1, nm[i], $(i+1) }' >>"$fields"
}

for cap in "$dir"/*.pcap "$dir"/*.pcapng; do
  [ -e "$cap" ] || continue
  f=$(basename "$cap")
  phs=$(tshark -r "$cap" -q -z io,phs 2>/dev/null)
  if grep -qw s1ap <<<"$phs"; then
    tshark -r "$cap" -Y 's1ap.NAS_PDU || s1ap.nAS_PDU' -T fields -E separator=/t -E occurrence=a \
        -E aggregator=, -e frame.number -e sctp.dstport -e s1ap.NAS_PDU -e s1ap.nAS_PDU 2>/dev/null |
    awk -F'\t' -v file="$f" '{
        d = ($2 ~ /(^|,)36412(,|$)/) ? "UL" : "DL"
        s = $3; if ($4 != "") s = (s == "" ? $4 : s "," $4)
        n = split(s, p, ",")
        for (i = 1; i <= n; i++) if (p[i] != "") printf "%s\t%s\t%s\t%s\n", file, $1, d, p[i] }' >>"$out"
    emit_fields "$f" "$cap" 's1ap.NAS_PDU || s1ap.nAS_PDU'
  elif grep -qw gsmtap <<<"$phs"; then
    tshark -r "$cap" -Y 'nas-eps' -T fields -E separator=/t -E occurrence=a -E aggregator=, \
        -e frame.number -e gsmtap.type -e gsmtap.uplink -e gsmtap.hdr_len -e udp.payload \
        -e lte-rrc.dedicatedInfoNAS -e lte-rrc.DedicatedInfoNAS 2>/dev/null |
    awk -F'\t' -v file="$f" '{
        d = ($3 == "1") ? "UL" : "DL"
        if ($2 == "18") { printf "%s\t%s\t%s\t%s\n", file, $1, d, substr($5, $4 * 2 + 1); next }
        s = $6; if ($7 != "") s = (s == "" ? $7 : s "," $7)
        n = split(s, p, ",")
        for (i = 1; i <= n; i++) if (p[i] != "") printf "%s\t%s\t%s\t%s\n", file, $1, d, p[i] }' >>"$out"
    emit_fields "$f" "$cap" 'gsmtap.type == 18 && nas-eps'
  fi
done
echo "$(wc -l <"$out") NAS PDUs -> $out; $(wc -l <"$fields") field rows -> $fields"
