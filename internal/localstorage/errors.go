package localstorage

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// storageError is Storage's StorageBackendError as its error handler sends
// it (supabase/storage src/http/error-handler.ts): HTTP 400 for every
// client error and 500 for server errors, whatever the error's own status,
// which the body carries as a string in statusCode; error is the older
// name of the error where it has one, else the code.
type storageError struct {
	status  int // the error's own status, as the body says it
	code    string
	error   string
	message string
}

func (e *storageError) Error() string { return e.message }

func (e *storageError) write(w http.ResponseWriter) {
	httpStatus := http.StatusBadRequest
	if e.status == http.StatusInternalServerError {
		httpStatus = http.StatusInternalServerError
	}
	name := e.error
	if name == "" {
		name = e.code
	}
	writeJSON(w, httpStatus, map[string]string{
		"statusCode": itoa(e.status), "code": e.code, "error": name, "message": e.message,
	})
}

// The errors of supabase/storage src/internal/errors/codes.ts this
// stand-in answers.
func errNoSuchBucket() *storageError {
	return &storageError{404, "NoSuchBucket", "Bucket not found", "Bucket not found"}
}
func errNoSuchKey() *storageError {
	return &storageError{404, "NoSuchKey", "not_found", "Object not found"}
}
func errBucketNotEmpty() *storageError {
	return &storageError{409, "ResourceNotEmpty", "", "The bucket you tried to delete is not empty"}
}
func errBucketAlreadyExists() *storageError {
	return &storageError{409, "BucketAlreadyExists", "Duplicate", "The resource already exists"}
}
func errKeyAlreadyExists() *storageError {
	return &storageError{409, "KeyAlreadyExists", "Duplicate", "The resource already exists"}
}
func errInvalidBucketName() *storageError {
	return &storageError{400, "InvalidBucketName", "Invalid Input", "Bucket name invalid"}
}
func errInvalidKey(key string) *storageError {
	return &storageError{400, "InvalidKey", "", "Invalid key: " + key}
}
func errInvalidMimeType(mime string) *storageError {
	return &storageError{415, "InvalidMimeType", "invalid_mime_type", "mime type " + mime + " is not supported"}
}
func errEntityTooLarge() *storageError {
	return &storageError{413, "EntityTooLarge", "Payload too large", "The object exceeded the maximum allowed size"}
}
func errInvalidFileSizeLimit() *storageError {
	return &storageError{400, "InvalidRequest", "", "Invalid file size format, hint: use 20GB / 20MB / 30KB / 3B"}
}
func errAccessDenied(message string) *storageError {
	return &storageError{403, "AccessDenied", "Unauthorized", message}
}
func errUnableToEmpty() *storageError {
	return &storageError{409, "InvalidRequest", "", "Unable to empty the bucket because it contains too many objects"}
}

// errValidation is what Fastify answers for a body its schema refuses.
func errValidation(message string) *storageError {
	return &storageError{400, "InvalidRequest", "Bad Request", message}
}

// fromDB maps a database error as Storage's DBError.fromDBError does
// (src/storage/database/errors.ts).
func fromDB(err error) *storageError {
	var se *storageError
	if errors.As(err, &se) {
		return se
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "42501":
			if strings.Contains(pg.Message, "row-level security") {
				return errAccessDenied("new row violates row-level security policy")
			}
			return errAccessDenied(pg.Message)
		case "23505":
			return &storageError{409, "ResourceAlreadyExists", "Duplicate", "The resource already exists"}
		}
		return &storageError{500, "DatabaseError", "", "database error, code: " + pg.Code}
	}
	return &storageError{500, "InternalError", "Internal", err.Error()}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
