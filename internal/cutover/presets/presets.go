// Package presets ships a cut-over router configuration per service (routes, noise, explanations,
// redactions, envelopes), embedded in the binary: `cutover -preset momentum`, or
// `cutover preset momentum > cutover.yaml` to start a configuration of one's own.
package presets

import (
	"embed"
	"fmt"
	"sort"
	"strings"
)

//go:embed *.yaml
var files embed.FS

// Get returns a preset's YAML.
func Get(name string) ([]byte, error) {
	b, err := files.ReadFile(name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("no preset %q (have: %s)", name, strings.Join(Names(), ", "))
	}
	return b, nil
}

// Names lists the presets.
func Names() []string {
	ents, _ := files.ReadDir(".")
	var out []string
	for _, e := range ents {
		out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(out)
	return out
}
