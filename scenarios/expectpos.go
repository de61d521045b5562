package scenarios

import (
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ExpectAt is where expectation i of the scenario Load(nameOrPath, sets)
// came from: the file (a shipped scenario's NAME.yaml) and line of its
// list entry, or SetFile and 0 when sets give the expect list or entry
// i. It reads the file again, so that a Scenario holds no positions (two
// equal scenarios from different files are equal); it is meant for error
// messages, "" and 0 when the entry cannot be found.
func ExpectAt(nameOrPath string, sets []string, i int) (file string, line int) {
	for _, s := range sets {
		if k, _, _ := strings.Cut(s, "="); strings.TrimSpace(k) == "expect" || strings.HasPrefix(strings.TrimSpace(k), "expect.") {
			return SetFile, 0
		}
	}
	var data []byte
	if fi, err := os.Stat(nameOrPath); err == nil && !fi.IsDir() {
		if data, err = os.ReadFile(nameOrPath); err != nil {
			return "", 0
		}
		file = nameOrPath
	} else if d, ok := ShippedFile(nameOrPath); ok {
		data, file = d, shippedName(nameOrPath)+".yaml"
	} else {
		return "", 0
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return file, 0
	}
	root := resolveAlias(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return file, 0
	}
	k := findKey(root, "expect")
	if k < 0 {
		return file, 0
	}
	list := resolveAlias(root.Content[k+1])
	if list.Kind != yaml.SequenceNode || i < 0 || i >= len(list.Content) {
		return file, root.Content[k].Line
	}
	return file, list.Content[i].Line
}
