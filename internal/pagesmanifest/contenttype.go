package pagesmanifest

import (
	"path"
	"strings"
)

// contentTypes are the types wrangler sends for a site's usual files: its
// dependency mime v3's getType (which wrangler falls back from to
// application/octet-stream). Only these are known here; any other
// extension gets application/octet-stream, where wrangler would send the
// type mime knows. TestAccPagesDeployment_sameAsWrangler compares them.
var contentTypes = map[string]string{
	"html": "text/html", "htm": "text/html",
	"css": "text/css",
	"js":  "application/javascript", "mjs": "application/javascript",
	"json": "application/json", "map": "application/json",
	"txt": "text/plain",
	"xml": "application/xml",
	"svg": "image/svg+xml",
	"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
	"webp": "image/webp", "avif": "image/avif", "ico": "image/vnd.microsoft.icon",
	"woff": "font/woff", "woff2": "font/woff2", "ttf": "font/ttf", "otf": "font/otf",
	"wasm":        "application/wasm",
	"webmanifest": "application/manifest+json",
	"pdf":         "application/pdf",
	"md":          "text/markdown", "csv": "text/csv", "ics": "text/calendar", "yaml": "text/yaml", "yml": "text/yaml",
	"mp4": "video/mp4", "webm": "video/webm", "mp3": "audio/mpeg", "wav": "audio/wav", "ogg": "audio/ogg",
	"zip": "application/zip", "gz": "application/gzip", "xhtml": "application/xhtml+xml", "jsonld": "application/ld+json",
	"rss": "application/rss+xml", "atom": "application/atom+xml", "eot": "application/vnd.ms-fontobject",
	"bmp": "image/bmp", "apng": "image/apng",
}

// ContentType is the type sent for a file named name.
func ContentType(name string) string {
	if t, ok := contentTypes[strings.ToLower(strings.TrimPrefix(path.Ext(name), "."))]; ok {
		return t
	}
	return "application/octet-stream"
}
