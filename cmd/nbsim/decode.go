package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/nbsim/nbsim/decode"
)

func newDecode(stdout io.Writer) *cobra.Command {
	var asJSON, forceNAS bool
	c := &cobra.Command{
		Use:   "decode [FILE | -]",
		Short: "Print the S1AP and NAS-EPS messages of a capture and a per-UE summary",
		Long: `decode prints every S1AP and NAS-EPS message of a pcap or pcapng capture,
decoded with nbsim's own codecs (S1AP over SCTP; NAS-EPS in S1AP, in GSMTAP
LTE NAS and in GSMTAP LTE RRC), one line per message with its direction and
key IEs, then a per-UE summary: attach duration, authentication outcome,
security algorithms, PSM/eDRX timers requested and granted, rejects, TAUs,
detaches, data over NAS and releases.

With FILE "-" or no FILE, stdin holds hex dumps: one S1AP-PDU or NAS message
per line (tried as S1AP first, then as NAS; --nas reads NAS only), with
whitespace and "# comments" allowed.

A message that does not decode is printed with its error (frame and byte
offset) and decoding goes on: the exit status is 0. A file that cannot be
read, is not a capture, or is cut or malformed at the pcap level gives exit
status 2 after printing what was decoded before the problem.

  nbsim decode trace.pcapng
  nbsim decode --json trace.pcapng | jq '.ues'
  echo 0741020bf6... | nbsim decode --nas`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usageError{fmt.Errorf("decode: want one FILE (or - for hex on stdin), got %d arguments", len(args))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opt := decode.Options{ForceNAS: forceNAS}
			var res *decode.Result
			var err error
			if len(args) == 0 || args[0] == "-" {
				in := cmd.InOrStdin()
				if f, ok := in.(*os.File); ok && len(args) == 0 && term.IsTerminal(int(f.Fd())) {
					return usageError{errors.New("decode: want a capture FILE, or hex PDUs on stdin")}
				}
				res, err = decode.Hex(in, opt)
				if err != nil {
					err = fmt.Errorf("stdin: %w", err)
				}
			} else {
				res, err = decode.File(args[0], opt)
			}
			if res != nil && (err == nil || len(res.Records) > 0) {
				var werr error
				if asJSON {
					werr = decode.WriteJSON(stdout, res)
				} else {
					werr = decode.WriteText(stdout, res)
				}
				if err == nil && werr != nil {
					err = werr
				}
			}
			if err != nil {
				return usageError{err}
			}
			return nil
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "write one JSON document {records, ues, ...} instead of text")
	c.Flags().BoolVar(&forceNAS, "nas", false, "hex input: read every line as a NAS message (do not try S1AP)")
	return c
}
