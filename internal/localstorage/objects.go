package localstorage

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// validKey is the object names Storage accepts (src/storage/limits.ts
// isValidKey: S3-safe characters).
var validKey = regexp.MustCompile(`^[A-Za-z0-9_/!.*'() &$=@;:+,?-]+$`)

func (s *Server) routeObjects() {
	s.handle("POST /object/list/{bucket}", s.listObjects)
	s.handle("POST /object/{bucket}/{name...}", func(w http.ResponseWriter, r *http.Request, u user) error {
		return s.upload(w, r, u, r.Header.Get("x-upsert") == "true")
	})
	s.handle("PUT /object/{bucket}/{name...}", func(w http.ResponseWriter, r *http.Request, u user) error {
		return s.upload(w, r, u, true) // updateObject uploads as an upsert
	})
	s.handle("GET /object/{bucket}/{name...}", s.download)
	s.handle("GET /object/authenticated/{bucket}/{name...}", s.download)
	s.handle("DELETE /object/{bucket}", s.deleteObjects)
	s.handle("DELETE /object/{bucket}/{name...}", s.deleteObject)
	// A public bucket's objects need no token (getPublicObject.ts).
	s.mux.HandleFunc("GET "+Prefix+"/object/public/{bucket}/{name...}", func(w http.ResponseWriter, r *http.Request) {
		if err := s.publicDownload(w, r); err != nil {
			fromDB(err).write(w)
		}
	})
}

// upload stores a file as Storage's uploadFromRequest does
// (src/storage/object.ts, uploader.ts): the bucket's limits read as the
// storage admin, the caller's policies asked in a transaction that is
// rolled back, the content stored, then the row written as the admin.
func (s *Server) upload(w http.ResponseWriter, r *http.Request, u user, upsert bool) error {
	bucket, name := r.PathValue("bucket"), r.PathValue("name")
	var limit *int64
	var allowed []string
	err := s.asSuperUser(r.Context(), func(tx pgx.Tx) error {
		err := tx.QueryRow(r.Context(), "SELECT file_size_limit, allowed_mime_types FROM storage.buckets WHERE id = $1", bucket).Scan(&limit, &allowed)
		if errors.Is(err, pgx.ErrNoRows) {
			return errNoSuchBucket()
		}
		return err
	})
	if err != nil {
		return err
	}
	data, contentType, cacheControl, err := readUpload(r)
	if err != nil {
		return err
	}
	maxSize := int64(DefaultFileSizeLimit)
	if limit != nil && *limit < maxSize {
		maxSize = *limit
	}
	if int64(len(data)) > maxSize {
		return errEntityTooLarge()
	}
	if len(allowed) > 0 && !mimeAllowed(contentType, allowed) {
		return errInvalidMimeType(contentType)
	}
	if !validKey.MatchString(name) {
		return errInvalidKey(name)
	}
	owner := u.claims.Subject
	metadata, err := json.Marshal(map[string]any{
		"eTag": `"` + md5hex(data) + `"`, "size": len(data), "mimetype": contentType, "cacheControl": cacheControl,
		"lastModified": timestamp(s.now()), "contentLength": len(data), "httpStatusCode": 200,
	})
	if err != nil {
		return err
	}
	insert := `INSERT INTO storage.objects (bucket_id, name, owner, owner_id, metadata, version)
		VALUES ($1, $2, CASE WHEN $3::text ~* '^[0-9a-f-]{36}$' THEN $3::uuid END, NULLIF($3, ''), $4, $5)`
	upsertClause := ` ON CONFLICT (bucket_id, name) DO UPDATE SET owner = EXCLUDED.owner, owner_id = EXCLUDED.owner_id,
		metadata = EXCLUDED.metadata, version = EXCLUDED.version, updated_at = now()`
	check := insert
	if upsert {
		check += upsertClause
	}
	version := randomUUID()
	err = s.testAsRole(r.Context(), u, "storage.object.upload", func(tx pgx.Tx) error {
		_, err := tx.Exec(r.Context(), check, bucket, name, owner, metadata, version)
		return err
	})
	if err != nil {
		if fromDB(err).code == "ResourceAlreadyExists" {
			return errKeyAlreadyExists()
		}
		return err
	}
	if err := s.content.put(bucket, name, data); err != nil {
		return err
	}
	var id string
	err = s.asSuperUser(r.Context(), func(tx pgx.Tx) error {
		return tx.QueryRow(r.Context(), insert+upsertClause+" RETURNING id::text", bucket, name, owner, metadata, version).Scan(&id)
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"Key": bucket + "/" + name, "Id": id})
	return nil
}

// readUpload reads a multipart form's file part (storage-js sends a Blob
// in a form, with a cacheControl field) or the raw body with its headers.
func readUpload(r *http.Request) (data []byte, contentType, cacheControl string, err error) {
	mediaType, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType != "multipart/form-data" {
		data, err = io.ReadAll(io.LimitReader(r.Body, DefaultFileSizeLimit+1))
		contentType = r.Header.Get("Content-Type")
		if contentType == "" {
			contentType = "text/plain;charset=UTF-8"
		}
		cacheControl = r.Header.Get("Cache-Control")
		if cacheControl == "" {
			cacheControl = "no-cache"
		}
		return data, contentType, cacheControl, err
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	cacheControl = "no-cache"
	found := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, "", "", errValidation("the multipart body is malformed")
		}
		content, err := io.ReadAll(io.LimitReader(part, DefaultFileSizeLimit+1))
		if err != nil {
			return nil, "", "", err
		}
		switch {
		case part.FileName() != "" && !found:
			data, contentType, found = content, part.Header.Get("Content-Type"), true
		case part.FormName() == "cacheControl":
			cacheControl = "max-age=" + string(content)
		}
	}
	if !found {
		return nil, "", "", errValidation("No file found in the request")
	}
	if contentType == "" {
		contentType = "text/plain;charset=UTF-8"
	}
	return data, contentType, cacheControl, nil
}

// mimeAllowed matches a content type against a bucket's list, where
// "image/*" allows every image type.
func mimeAllowed(contentType string, allowed []string) bool {
	base, _, _ := strings.Cut(contentType, ";")
	base = strings.TrimSpace(strings.ToLower(base))
	for _, a := range allowed {
		a = strings.ToLower(a)
		if a == base || a == contentType || strings.HasSuffix(a, "/*") && strings.HasPrefix(base, strings.TrimSuffix(a, "*")) {
			return true
		}
	}
	return false
}

func md5hex(data []byte) string {
	sum := md5.Sum(data) //nolint:gosec // an eTag, as Storage's is
	return hex.EncodeToString(sum[:])
}

// objectMetadata is the part of storage.objects.metadata a download needs.
type objectMetadata struct {
	ETag         string `json:"eTag"`
	MimeType     string `json:"mimetype"`
	CacheControl string `json:"cacheControl"`
}

// download serves an object the caller's policies let them select.
func (s *Server) download(w http.ResponseWriter, r *http.Request, u user) error {
	bucket, name := r.PathValue("bucket"), r.PathValue("name")
	var meta objectMetadata
	err := s.asRole(r.Context(), u, "storage.object.get_authenticated", func(tx pgx.Tx) error {
		return scanMetadata(tx.QueryRow(r.Context(), "SELECT metadata FROM storage.objects WHERE bucket_id = $1 AND name = $2", bucket, name), &meta)
	})
	if err != nil {
		return err
	}
	return s.serve(w, bucket, name, meta)
}

func (s *Server) publicDownload(w http.ResponseWriter, r *http.Request) error {
	bucket, name := r.PathValue("bucket"), r.PathValue("name")
	var meta objectMetadata
	err := s.asSuperUser(r.Context(), func(tx pgx.Tx) error {
		var public bool
		if err := tx.QueryRow(r.Context(), "SELECT public FROM storage.buckets WHERE id = $1", bucket).Scan(&public); errors.Is(err, pgx.ErrNoRows) || (err == nil && !public) {
			return errNoSuchBucket()
		} else if err != nil {
			return err
		}
		return scanMetadata(tx.QueryRow(r.Context(), "SELECT metadata FROM storage.objects WHERE bucket_id = $1 AND name = $2", bucket, name), &meta)
	})
	if err != nil {
		return err
	}
	return s.serve(w, bucket, name, meta)
}

func scanMetadata(row pgx.Row, meta *objectMetadata) error {
	var raw []byte
	if err := row.Scan(&raw); errors.Is(err, pgx.ErrNoRows) {
		return errNoSuchKey()
	} else if err != nil {
		return err
	}
	return json.Unmarshal(raw, meta)
}

func (s *Server) serve(w http.ResponseWriter, bucket, name string, meta objectMetadata) error {
	data, ok := s.content.get(bucket, name)
	if !ok {
		return errNoSuchKey()
	}
	w.Header().Set("Content-Type", meta.MimeType)
	w.Header().Set("Cache-Control", meta.CacheControl)
	w.Header().Set("ETag", meta.ETag)
	w.WriteHeader(http.StatusOK)
	_, err := io.Copy(w, bytes.NewReader(data))
	return err
}

// deleteObject deletes one object: found as the storage admin, deleted as
// the caller, whose policies must allow it (src/storage/object.ts
// deleteObject answers AccessDenied when they do not).
func (s *Server) deleteObject(w http.ResponseWriter, r *http.Request, u user) error {
	bucket, name := r.PathValue("bucket"), r.PathValue("name")
	err := s.asSuperUser(r.Context(), func(tx pgx.Tx) error {
		var id string
		err := tx.QueryRow(r.Context(), "SELECT id::text FROM storage.objects WHERE bucket_id = $1 AND name = $2", bucket, name).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return errNoSuchKey()
		}
		return err
	})
	if err != nil {
		return err
	}
	var n int64
	err = s.asRole(r.Context(), u, "storage.object.delete", func(tx pgx.Tx) error {
		tag, err := tx.Exec(r.Context(), "DELETE FROM storage.objects WHERE bucket_id = $1 AND name = $2", bucket, name)
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return err
	}
	if n == 0 {
		return errAccessDenied("Access denied")
	}
	s.content.delete(bucket, name)
	return message(w, "Successfully deleted")
}

// deleteObjects deletes the objects named in prefixes that the caller's
// policies let them delete, and answers with those (deleteObjects.ts).
func (s *Server) deleteObjects(w http.ResponseWriter, r *http.Request, u user) error {
	bucket := r.PathValue("bucket")
	var body struct {
		Prefixes []string `json:"prefixes"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || len(body.Prefixes) == 0 || len(body.Prefixes) > 1000 {
		return errValidation("body/prefixes must NOT have fewer than 1 items")
	}
	var deleted []map[string]any
	err := s.asRole(r.Context(), u, "storage.object.delete_many", func(tx pgx.Tx) error {
		rows, err := tx.Query(r.Context(), `DELETE FROM storage.objects WHERE bucket_id = $1 AND name = ANY($2)
			RETURNING name, id::text, bucket_id, owner::text, created_at, updated_at, last_accessed_at, metadata`, bucket, body.Prefixes)
		if err != nil {
			return err
		}
		deleted, err = scanObjects(rows)
		return err
	})
	if err != nil {
		return err
	}
	for _, o := range deleted {
		s.content.delete(bucket, o["name"].(string))
	}
	writeJSON(w, http.StatusOK, deleted)
	return nil
}

func scanObjects(rows pgx.Rows) ([]map[string]any, error) {
	out := []map[string]any{}
	for rows.Next() {
		var (
			name, id, bucket            string
			owner                       *string
			created, updated, lastTouch time.Time
			meta                        json.RawMessage
		)
		if err := rows.Scan(&name, &id, &bucket, &owner, &created, &updated, &lastTouch, &meta); err != nil {
			return nil, err
		}
		out = append(out, map[string]any{"name": name, "id": id, "bucket_id": bucket, "owner": owner,
			"created_at": timestamp(created), "updated_at": timestamp(updated), "last_accessed_at": timestamp(lastTouch), "metadata": meta})
	}
	return out, rows.Err()
}

// listObjects lists one level under a prefix as Storage's storage.search
// function does (migrations/tenant/0002-storage-schema.sql): a name with a
// further "/" is a folder, with no id, timestamps or metadata.
func (s *Server) listObjects(w http.ResponseWriter, r *http.Request, u user) error {
	bucket := r.PathValue("bucket")
	body := struct {
		Prefix string `json:"prefix"`
		Limit  int    `json:"limit"`
		Offset int    `json:"offset"`
		Search string `json:"search"`
		SortBy struct {
			Column string `json:"column"`
			Order  string `json:"order"`
		} `json:"sortBy"`
	}{Limit: 100}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return errValidation("body must be object")
	}
	if body.Limit <= 0 {
		body.Limit = 100
	}
	prefix := body.Prefix
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	type entry struct {
		name string
		data map[string]any
	}
	var entries []entry
	err := s.asRole(r.Context(), u, "storage.object.list", func(tx pgx.Tx) error {
		rows, err := tx.Query(r.Context(), `SELECT name, id::text, bucket_id, owner::text, created_at, updated_at, last_accessed_at, metadata
			FROM storage.objects WHERE bucket_id = $1 AND starts_with(name, $2)`, bucket, prefix)
		if err != nil {
			return err
		}
		objects, err := scanObjects(rows)
		if err != nil {
			return err
		}
		folders := map[string]bool{}
		for _, o := range objects {
			rest := strings.TrimPrefix(o["name"].(string), prefix)
			if body.Search != "" && !strings.HasPrefix(strings.ToLower(rest), strings.ToLower(body.Search)) {
				continue
			}
			if folder, _, deeper := strings.Cut(rest, "/"); deeper {
				if !folders[folder] {
					folders[folder] = true
					entries = append(entries, entry{folder, map[string]any{"name": folder, "id": nil,
						"updated_at": nil, "created_at": nil, "last_accessed_at": nil, "metadata": nil}})
				}
				continue
			}
			entries = append(entries, entry{rest, map[string]any{"name": rest, "id": o["id"], "updated_at": o["updated_at"],
				"created_at": o["created_at"], "last_accessed_at": o["last_accessed_at"], "metadata": o["metadata"]}})
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].name < entries[j].name })
	if strings.EqualFold(body.SortBy.Order, "desc") {
		sort.SliceStable(entries, func(i, j int) bool { return entries[i].name > entries[j].name })
	}
	out := []map[string]any{}
	for i := body.Offset; i < len(entries) && len(out) < body.Limit; i++ {
		out = append(out, entries[i].data)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
