package localstorage

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// bucketColumns are what GET /bucket and GET /bucket/{id} answer
// (src/http/routes/bucket/getAllBuckets.ts adds type, getBucket.ts not).
const bucketColumns = "id, name, owner, public, created_at, updated_at, file_size_limit, allowed_mime_types"

// Storage's validation rules (src/storage/limits.ts isValidBucketName and
// mustBeNotReservedBucketName; src/storage/storage.ts validateMimeType;
// src/http/schemas/file-size-limit.ts).
var (
	bucketName   = regexp.MustCompile(`^[A-Za-z0-9_!.*'() &$=@;:+,?-]{1,100}$`)
	mimeType     = regexp.MustCompile(`^([a-zA-Z0-9\-+.]+)/([a-zA-Z0-9\-+.]+)(;\s*charset=[a-zA-Z0-9\-]+)?$|\*$`)
	sizeWithUnit = regexp.MustCompile(`(?i)^([0-9]+(?:\.[0-9]+)?)(gb|mb|kb|b)$`)
)

const (
	reservedSuffix = "--table-s3" // ICEBERG_BUCKET_DETECTION_SUFFIX's default
	emptyBucketMax = 200000       // STORAGE_EMPTY_BUCKET_MAX's default
)

type bucketBody struct {
	ID               *string         `json:"id"`
	Name             string          `json:"name"`
	Public           *bool           `json:"public"`
	FileSizeLimit    json.RawMessage `json:"file_size_limit"`
	AllowedMimeTypes json.RawMessage `json:"allowed_mime_types"`
}

func (s *Server) routeBuckets() {
	s.handle("GET /bucket", s.listBuckets)
	s.handle("POST /bucket", s.createBucket)
	s.handle("GET /bucket/{id}", s.getBucket)
	s.handle("PUT /bucket/{id}", s.updateBucket)
	s.handle("DELETE /bucket/{id}", s.deleteBucket)
	s.handle("POST /bucket/{id}/empty", s.emptyBucket)
}

func (s *Server) listBuckets(w http.ResponseWriter, r *http.Request, u user) error {
	q := r.URL.Query()
	sql := "SELECT " + bucketColumns + ", type::text FROM storage.buckets"
	var args []any
	if search := q.Get("search"); search != "" {
		args = append(args, "%"+search+"%")
		sql += " WHERE name ILIKE $1"
	}
	switch q.Get("sortColumn") {
	case "id", "name", "created_at", "updated_at":
		order := "ASC"
		if strings.EqualFold(q.Get("sortOrder"), "desc") {
			order = "DESC"
		}
		sql += " ORDER BY " + q.Get("sortColumn") + " " + order
	case "":
	default:
		return errValidation("querystring/sortColumn must be equal to one of the allowed values")
	}
	for _, p := range []string{"limit", "offset"} {
		if v := q.Get(p); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || (p == "limit" && n < 1) {
				return errValidation("querystring/" + p + " must be integer")
			}
			sql += " " + strings.ToUpper(p) + " " + strconv.Itoa(n)
		}
	}
	var out []map[string]any
	err := s.asRole(r.Context(), u, "storage.bucket.list", func(tx pgx.Tx) error {
		rows, err := tx.Query(r.Context(), sql, args...)
		if err != nil {
			return err
		}
		out, err = scanBuckets(rows, true)
		return err
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func scanBuckets(rows pgx.Rows, withType bool) ([]map[string]any, error) {
	out := []map[string]any{}
	for rows.Next() {
		var (
			id, name, typ   string
			owner           *string
			public          bool
			created, update time.Time
			limit           *int64
			mimes           []string
		)
		dest := []any{&id, &name, &owner, &public, &created, &update, &limit, &mimes}
		if withType {
			dest = append(dest, &typ)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		b := map[string]any{
			"id": id, "name": name, "owner": owner, "public": public,
			"created_at": timestamp(created), "updated_at": timestamp(update),
			"file_size_limit": limit, "allowed_mime_types": mimes,
		}
		if withType {
			b["type"] = typ
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

func (s *Server) createBucket(w http.ResponseWriter, r *http.Request, u user) error {
	var body bucketBody
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return errValidation("body must be object")
	}
	if body.Name == "" {
		return errValidation("body must have required property 'name'")
	}
	if strings.TrimSpace(body.Name) != body.Name || !bucketName.MatchString(body.Name) || strings.HasSuffix(body.Name, reservedSuffix) {
		return errInvalidBucketName()
	}
	id := body.Name
	if body.ID != nil && *body.ID != "" {
		id = *body.ID
	}
	limit, _, err := parseSizeLimit(body.FileSizeLimit)
	if err != nil {
		return err
	}
	mimes, _, err := parseMimeTypes(body.AllowedMimeTypes)
	if err != nil {
		return err
	}
	public := body.Public != nil && *body.Public
	// The owner is the caller's user id (none for the API keys).
	var owner *string
	if u.claims.Subject != "" {
		owner = &u.claims.Subject
	}
	err = s.asRole(r.Context(), u, "storage.bucket.create", func(tx pgx.Tx) error {
		_, err := tx.Exec(r.Context(), `INSERT INTO storage.buckets (id, name, owner, owner_id, public, file_size_limit, allowed_mime_types, type)
			VALUES ($1, $2, CASE WHEN $3::text ~* '^[0-9a-f-]{36}$' THEN $3::uuid END, $3, $4, $5, $6, 'STANDARD')`,
			id, body.Name, owner, public, limit, mimes)
		return err
	})
	if err != nil {
		if fromDB(err).code == "ResourceAlreadyExists" {
			return errBucketAlreadyExists()
		}
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"name": body.Name})
	return nil
}

// parseSizeLimit reads file_size_limit: absent, null, a number of bytes or
// a size such as "20MB" (decimal units, limits.ts parseFileSizeToBytes); it
// may not exceed the global limit.
func parseSizeLimit(raw json.RawMessage) (limit *int64, given bool, err error) {
	if len(raw) == 0 {
		return nil, false, nil
	}
	if string(raw) == "null" {
		return nil, true, nil
	}
	var n float64
	var text string
	switch {
	case json.Unmarshal(raw, &n) == nil:
		if n < 0 || n != float64(int64(n)) {
			return nil, true, errValidation("body/file_size_limit must be >= 0")
		}
	case json.Unmarshal(raw, &text) == nil:
		m := sizeWithUnit.FindStringSubmatch(text)
		if m == nil {
			return nil, true, errInvalidFileSizeLimit()
		}
		v, _ := strconv.ParseFloat(m[1], 64)
		n = v * map[string]float64{"gb": 1e9, "mb": 1e6, "kb": 1e3, "b": 1}[strings.ToLower(m[2])]
	default:
		return nil, true, errValidation("body/file_size_limit must be integer")
	}
	if n > DefaultFileSizeLimit {
		return nil, true, errEntityTooLarge()
	}
	v := int64(n)
	return &v, true, nil
}

// parseMimeTypes reads allowed_mime_types: absent, null or a list, of
// which empty entries are dropped (the routes filter them).
func parseMimeTypes(raw json.RawMessage) (mimes []string, given bool, err error) {
	if len(raw) == 0 {
		return nil, false, nil
	}
	if string(raw) == "null" {
		return nil, true, nil
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, true, errValidation("body/allowed_mime_types must be array")
	}
	mimes = []string{}
	for _, m := range list {
		if m == "" {
			continue
		}
		if len(m) > 1000 || !mimeType.MatchString(m) {
			return nil, true, errInvalidMimeType(m)
		}
		mimes = append(mimes, m)
	}
	return mimes, true, nil
}

func (s *Server) getBucket(w http.ResponseWriter, r *http.Request, u user) error {
	var found []map[string]any
	err := s.asRole(r.Context(), u, "storage.bucket.get", func(tx pgx.Tx) error {
		rows, err := tx.Query(r.Context(), "SELECT "+bucketColumns+" FROM storage.buckets WHERE id = $1 LIMIT 1", r.PathValue("id"))
		if err != nil {
			return err
		}
		found, err = scanBuckets(rows, false)
		return err
	})
	if err != nil {
		return err
	}
	if len(found) == 0 {
		return errNoSuchBucket()
	}
	writeJSON(w, http.StatusOK, found[0])
	return nil
}

func (s *Server) updateBucket(w http.ResponseWriter, r *http.Request, u user) error {
	var body bucketBody
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return errValidation("body must be object")
	}
	limit, limitGiven, err := parseSizeLimit(body.FileSizeLimit)
	if err != nil {
		return err
	}
	mimes, mimesGiven, err := parseMimeTypes(body.AllowedMimeTypes)
	if err != nil {
		return err
	}
	var sets []string
	var args []any
	add := func(column string, v any) {
		args = append(args, v)
		sets = append(sets, column+" = $"+strconv.Itoa(len(args)))
	}
	if body.Public != nil {
		add("public", *body.Public)
	}
	if limitGiven {
		add("file_size_limit", limit)
	}
	if mimesGiven {
		add("allowed_mime_types", mimes)
	}
	if len(sets) == 0 {
		return errValidation("body must have required property 'public'")
	}
	if !bucketName.MatchString(r.PathValue("id")) {
		return errInvalidBucketName()
	}
	args = append(args, r.PathValue("id"))
	var n int64
	err = s.asRole(r.Context(), u, "storage.bucket.update", func(tx pgx.Tx) error {
		tag, err := tx.Exec(r.Context(), "UPDATE storage.buckets SET "+strings.Join(sets, ", ")+
			" WHERE id = $"+strconv.Itoa(len(args)), args...)
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return err
	}
	if n == 0 {
		return errNoSuchBucket()
	}
	return message(w, "Successfully updated")
}

func (s *Server) deleteBucket(w http.ResponseWriter, r *http.Request, u user) error {
	id := r.PathValue("id")
	err := s.asSuperUser(r.Context(), func(tx pgx.Tx) error {
		var found string
		if err := tx.QueryRow(r.Context(), "SELECT id FROM storage.buckets WHERE id = $1 FOR UPDATE", id).Scan(&found); errors.Is(err, pgx.ErrNoRows) {
			return errNoSuchBucket()
		} else if err != nil {
			return err
		}
		var objects bool
		if err := tx.QueryRow(r.Context(), "SELECT EXISTS (SELECT 1 FROM storage.objects WHERE bucket_id = $1)", id).Scan(&objects); err != nil {
			return err
		}
		if objects {
			return errBucketNotEmpty()
		}
		return nil
	})
	if err != nil {
		return err
	}
	var n int64
	err = s.asRole(r.Context(), u, "storage.bucket.delete", func(tx pgx.Tx) error {
		tag, err := tx.Exec(r.Context(), "DELETE FROM storage.buckets WHERE id = $1", id)
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return err
	}
	if n == 0 {
		return errNoSuchBucket()
	}
	return message(w, "Successfully deleted")
}

// emptyBucket queues the deletion of the bucket's objects and answers at
// once, as Storage does; the objects go after EmptyDelay.
func (s *Server) emptyBucket(w http.ResponseWriter, r *http.Request, u user) error {
	id := r.PathValue("id")
	var count int
	err := s.asRole(r.Context(), u, "storage.bucket.empty", func(tx pgx.Tx) error {
		var found string
		if err := tx.QueryRow(r.Context(), "SELECT name FROM storage.buckets WHERE id = $1", id).Scan(&found); errors.Is(err, pgx.ErrNoRows) {
			return errNoSuchBucket()
		} else if err != nil {
			return err
		}
		return tx.QueryRow(r.Context(), "SELECT count(*) FROM (SELECT 1 FROM storage.objects WHERE bucket_id = $1 LIMIT $2) c", id, emptyBucketMax+1).Scan(&count)
	})
	if err != nil {
		return err
	}
	if count > emptyBucketMax {
		return errUnableToEmpty()
	}
	job := &emptyJob{s: s, bucket: id, before: s.now()}
	s.mu.Lock()
	job.timer = time.AfterFunc(s.emptyDelay, job.run)
	s.queued = append(s.queued, job)
	s.mu.Unlock()
	return message(w, "Empty bucket has been queued. Completion may take up to an hour.")
}

// emptyJob is a queued empty: it deletes the objects created before it was
// queued, once.
type emptyJob struct {
	s      *Server
	bucket string
	before time.Time
	timer  *time.Timer
	once   sync.Once
}

func (j *emptyJob) run() {
	j.once.Do(func() {
		ctx := context.Background()
		_ = j.s.asSuperUser(ctx, func(tx pgx.Tx) error { // a failed empty leaves the objects, as a failed job would
			rows, err := tx.Query(ctx, "DELETE FROM storage.objects WHERE bucket_id = $1 AND created_at <= $2 RETURNING name", j.bucket, j.before)
			if err != nil {
				return err
			}
			names, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return err
			}
			for _, name := range names {
				j.s.content.delete(j.bucket, name)
			}
			return nil
		})
	})
}
