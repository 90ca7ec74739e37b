// Package pagesserve serves a Cloudflare Pages deployment's files as
// Pages' asset server does (workers-sdk packages/pages-shared/asset-server/
// handler.ts, and the _headers and _redirects parsers of packages/
// workers-shared/utils/configuration): _redirects first, then the file by
// Pages' HTML handling, the nearest 404.html or the single-page-app
// fallback, then the _headers rules that match.
package pagesserve

import (
	"regexp"
	"strconv"
	"strings"
)

// Pages' limits (workers-shared configuration/constants.ts): lines of at
// most 2,000 characters, 2,000 static and 100 dynamic redirects, 100
// header rules.
const (
	maxLineLength      = 2000
	maxStaticRedirects = 2000
	maxDynamicRules    = 100
	maxHeaderRules     = 100
)

var permittedStatus = map[int]bool{200: true, 301: true, 302: true, 303: true, 307: true, 308: true}

// Redirect is one _redirects rule.
type Redirect struct {
	From, To string
	Status   int
	match    *regexp.Regexp
}

// HeaderRule is one _headers block: headers set (and appended to by later
// blocks) and headers removed ("! Name").
type HeaderRule struct {
	Path  string
	Set   [][2]string
	Unset []string
	match *regexp.Regexp
}

// ParseRedirects reads a _redirects file. Lines Pages would ignore are
// ignored, and said why in invalid, as wrangler prints them.
func ParseRedirects(text string) (rules []Redirect, invalid []string) {
	static, dynamic, staticAllowed := 0, 0, true
	for i, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if len(line) > maxLineLength {
			invalid = append(invalid, "line "+strconv.Itoa(i+1)+": longer than 2000 characters")
			continue
		}
		tokens := strings.Fields(inlineComment.ReplaceAllString(line, ""))
		if len(tokens) < 2 || len(tokens) > 3 {
			invalid = append(invalid, "line "+strconv.Itoa(i+1)+": expected 2 or 3 whitespace-separated tokens")
			continue
		}
		status := 302
		if len(tokens) == 3 {
			n, err := strconv.Atoi(tokens[2])
			if err != nil || !permittedStatus[n] {
				invalid = append(invalid, "line "+strconv.Itoa(i+1)+": valid status codes are 200, 301, 302 (default), 303, 307 or 308")
				continue
			}
			status = n
		}
		from := tokens[0]
		if !strings.HasPrefix(from, "/") && !strings.HasPrefix(from, "https://") {
			invalid = append(invalid, "line "+strconv.Itoa(i+1)+": the source must be a path or an https:// URL")
			continue
		}
		if staticAllowed && !strings.ContainsAny(from, "*:") {
			static++
			if static > maxStaticRedirects {
				invalid = append(invalid, "line "+strconv.Itoa(i+1)+": more than 2000 static rules")
				continue
			}
		} else {
			staticAllowed = false
			dynamic++
			if dynamic > maxDynamicRules {
				invalid = append(invalid, "line "+strconv.Itoa(i+1)+": more than 100 dynamic rules; the rest of the file is skipped")
				break
			}
		}
		to := tokens[1]
		relative := strings.HasPrefix(to, "/")
		if relative && (strings.HasSuffix(from, "/*") || strings.HasSuffix(from, "/")) && toIndex.MatchString(to) {
			invalid = append(invalid, "line "+strconv.Itoa(i+1)+": infinite loop (Pages strips /index and .html, which would trigger the rule again)")
			continue
		}
		rules = append(rules, Redirect{From: from, To: to, Status: status, match: ruleRegexp(from)})
	}
	return rules, invalid
}

// ParseHeaders reads a _headers file.
func ParseHeaders(text string) (rules []HeaderRule, invalid []string) {
	var current *HeaderRule
	skip := false // after a refused path, its headers go with it
	flush := func() {
		switch {
		case current == nil:
		case len(current.Set) > 0 || len(current.Unset) > 0:
			rules = append(rules, *current)
		default:
			invalid = append(invalid, current.Path+": no headers specified")
		}
		current = nil
	}
	for i, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		where := "line " + strconv.Itoa(i+1) + ": "
		if len(line) > maxLineLength {
			invalid = append(invalid, where+"longer than 2000 characters")
			continue
		}
		if isPath.MatchString(line) {
			flush()
			skip = false
			if len(rules) >= maxHeaderRules {
				invalid = append(invalid, where+"more than 100 rules; the rest of the file is skipped")
				break
			}
			if strings.Count(line, "*") > 1 {
				invalid = append(invalid, where+"a path may have one splat (*) only")
				skip = true
				continue
			}
			current = &HeaderRule{Path: line, match: ruleRegexp(line)}
			continue
		}
		if skip {
			continue
		}
		if current == nil {
			invalid = append(invalid, where+"a header must follow a path")
			continue
		}
		if name, ok := strings.CutPrefix(line, "! "); ok {
			current.Unset = append(current.Unset, strings.TrimSpace(name))
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		switch {
		case !ok:
			invalid = append(invalid, where+"expected Name: value")
		case name == "" || value == "" || strings.ContainsAny(name, " \t"):
			invalid = append(invalid, where+"a header needs a name without spaces and a value")
		default:
			merged := false
			for j := range current.Set {
				if strings.EqualFold(current.Set[j][0], name) {
					current.Set[j][1] += ", " + value
					merged = true
				}
			}
			if !merged {
				current.Set = append(current.Set, [2]string{name, value})
			}
		}
	}
	flush()
	return rules, invalid
}

var (
	placeholder   = regexp.MustCompile(`:([A-Za-z]\w*)`)
	inlineComment = regexp.MustCompile(`\s+#.*$`)
	toIndex       = regexp.MustCompile(`/index(\.html)?$`)
	isPath        = regexp.MustCompile(`^([^\s]+://|/)`)
)

// ruleRegexp compiles a rule's source: "*" captures the splat, ":name" a
// path segment (or a host label, in a URL's host).
func ruleRegexp(rule string) *regexp.Regexp {
	parts := strings.Split(rule, "*")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	pattern := strings.Join(parts, "(?P<splat>.*)")
	host := ""
	if rest, ok := strings.CutPrefix(pattern, "https://"); ok {
		h, path, _ := strings.Cut(rest, "/")
		host = "https://" + placeholder.ReplaceAllString(h, `(?P<$1>[^/.]+)`)
		pattern = "/" + path
	}
	pattern = placeholder.ReplaceAllString(pattern, `(?P<$1>[^/]+)`)
	re, err := regexp.Compile("^" + host + pattern + "$")
	if err != nil {
		return regexp.MustCompile(`$^`) // matches nothing, as Pages drops a rule it cannot compile
	}
	return re
}

// matchRule tests a rule against a request and returns its replacements.
func matchRule(re *regexp.Regexp, crossHost bool, host, path string) (map[string]string, bool) {
	subject := path
	if crossHost {
		subject = "https://" + host + path
	}
	m := re.FindStringSubmatch(subject)
	if m == nil {
		return nil, false
	}
	out := map[string]string{}
	for i, name := range re.SubexpNames() {
		if name != "" {
			out[name] = m[i]
		}
	}
	return out, true
}

func replace(s string, replacements map[string]string) string {
	for name, value := range replacements {
		s = strings.ReplaceAll(s, ":"+name, value)
	}
	return s
}
