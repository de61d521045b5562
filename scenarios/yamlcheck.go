package scenarios

import (
	"bytes"
	"fmt"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// maxLineSearch bounds the documents whose syntax errors are located by
// parsing prefixes (syntaxLine): a parse per line.
const maxLineSearch = 2000

// syntaxLine is the line of a YAML syntax error in data, found by parsing
// prefixes: the error is on the line after the longest prefix of whole
// lines that parses. go.yaml.in/yaml/v3 reports a parser error at the start
// of the construct it was parsing (the block mapping that holds a badly
// indented key, eight lines above it) and counts that line from 0 (an
// unclosed '{' is reported on the line before it). A prefix of whole lines
// of a valid document parses (block YAML has no closing tokens), so the
// first line that no parse can get past is where the problem is: an
// unclosed '{' or '[' at the line that opens it, a bad indent at the line
// that has it. 0 when data has more than maxLineSearch lines (the caller
// keeps the parser's line) or when every prefix parses.
func syntaxLine(data []byte) int {
	n := bytes.Count(data, []byte("\n")) + 1
	if n > maxLineSearch {
		return 0
	}
	// ends[i] is the end of line i+1 (after its newline).
	ends := make([]int, 0, n)
	for i, c := range data {
		if c == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(data) {
		ends = append(ends, len(data))
	}
	for k := len(ends) - 1; k >= 0; k-- {
		var prefix []byte
		if k > 0 {
			prefix = data[:ends[k-1]]
		}
		var doc yaml.Node
		if yaml.Unmarshal(prefix, &doc) == nil {
			// Lines 1..k parse; line k+1 is the first that cannot.
			return k + 1
		}
	}
	return 0
}

// duplicateKeys reports every key given twice in one mapping of the tree
// under n, at the line of its second occurrence (YAML 1.2 §3.2.1.1: the
// keys of a mapping are unique; the parser keeps both and a decoder the
// last, silently). Merge keys (<<) are left to the decoder; aliases are
// checked where their anchor is defined.
func duplicateKeys(n *yaml.Node, file string) Errors {
	var errs Errors
	var walk func(n *yaml.Node, path string, depth int)
	walk = func(n *yaml.Node, path string, depth int) {
		if n == nil || depth > 1000 || len(errs) > maxErrors {
			return
		}
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path, depth+1)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, joinPath(path, strconv.Itoa(i)), depth+1)
			}
		case yaml.MappingNode:
			first := map[string]int{}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if k.Kind != yaml.ScalarNode || k.ShortTag() == "!!merge" {
					continue
				}
				if line, dup := first[k.Value]; dup {
					errs = append(errs, &Error{File: file, Line: k.Line, Path: joinPath(path, k.Value),
						Msg: fmt.Sprintf("duplicate key %q (first at line %d): a mapping's keys must be unique; remove one", k.Value, line)})
					continue
				}
				first[k.Value] = k.Line
				walk(n.Content[i+1], joinPath(path, k.Value), depth+1)
			}
		}
	}
	walk(n, "", 0)
	return errs
}

// isEmptyDocument reports whether data holds no YAML content (nothing,
// comments, a lone null or document marker).
func isEmptyDocument(doc *yaml.Node) bool {
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return true
		}
		doc = doc.Content[0]
	}
	return doc.Kind == 0 || isNull(doc)
}
