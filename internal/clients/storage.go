package clients

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	storage_go "github.com/supabase-community/storage-go"
	"github.com/supabase-community/supabase-go"
)

// SupabaseConfig is the resolved `supabase` provider block.
type SupabaseConfig struct {
	URL            string // https://<ref>.supabase.co
	ServiceRoleKey string
}

// Storage is Supabase Storage's REST API, through supabase-go's client.
//
// supabase-go builds the Storage client (storage-go: the project's
// /storage/v1 URL, the key as bearer token and apikey). Its bucket calls
// do not serve a Terraform resource, so requests are built with
// storage-go's NewRequest and sent with its Do, and only bodies and answers
// are the provider's own:
//   - its Bucket type reads the MIME types from a misspelt key
//     ("allowed_mine_types"), so every bucket would read back without them;
//   - CreateBucket and UpdateBucket leave file_size_limit and
//     allowed_mime_types out when empty, so neither can be cleared;
//   - its StorageError reads a numeric "status" Storage never sends:
//     Storage answers every client error with HTTP 400 and the error's own
//     status as a string in statusCode (supabase/storage
//     src/http/error-handler.ts), so errors are told apart by Storage's
//     messages (src/internal/errors/codes.ts);
//   - its calls take no context; requests here carry the operation's.
type Storage struct {
	client *storage_go.Client
	base   string
}

func newStorage(cfg SupabaseConfig) (*Storage, error) {
	if cfg.URL == "" || cfg.ServiceRoleKey == "" {
		return nil, errors.New("Supabase Storage needs both the project URL (supabase.url or SUPABASE_URL) and the " +
			"service_role key (supabase.service_role_key or SUPABASE_SERVICE_ROLE_KEY); only one is set")
	}
	project := strings.TrimSuffix(cfg.URL, "/")
	u, err := url.Parse(project)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("the Supabase URL must be the project URL, such as https://<project-ref>.supabase.co")
	}
	c, err := supabase.NewClient(project, cfg.ServiceRoleKey, nil)
	if err != nil {
		return nil, err
	}
	return &Storage{client: c.Storage, base: project + supabase.STORGAGE_URL}, nil
}

// StorageError is an error Storage answered.
type StorageError struct {
	Method, Path string
	HTTPStatus   int
	Message      string
}

func (e *StorageError) Error() string {
	return fmt.Sprintf("%s %s: Supabase Storage answered %d: %s", e.Method, e.Path, e.HTTPStatus, e.Message)
}

// Storage's messages for the errors a resource must tell apart.
const (
	msgNoSuchBucket   = "Bucket not found"
	msgBucketNotEmpty = "The bucket you tried to delete is not empty"
	msgDuplicate      = "The resource already exists"
)

func hasStorageMessage(err error, msg string) bool {
	var se *StorageError
	return errors.As(err, &se) && se.Message == msg
}

// IsNoSuchBucket reports Storage's "Bucket not found".
func IsNoSuchBucket(err error) bool { return hasStorageMessage(err, msgNoSuchBucket) }

// IsBucketNotEmpty reports a delete refused because objects remain.
func IsBucketNotEmpty(err error) bool { return hasStorageMessage(err, msgBucketNotEmpty) }

// IsDuplicate reports a name already taken.
func IsDuplicate(err error) bool { return hasStorageMessage(err, msgDuplicate) }

// Do sends one request to path (below /storage/v1) with body encoded as
// JSON, and decodes the answer into out (nil discards it).
func (s *Storage) Do(ctx context.Context, method, path string, body, out any) error {
	req, err := s.client.NewRequest(method, s.base+path, body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	started := time.Now()
	resp, err := s.client.Do(req.WithContext(ctx), out)
	// Method, path and status only: the headers carry the service_role key.
	fields := map[string]any{"method": method, "path": path, "duration_ms": time.Since(started).Milliseconds()}
	if resp != nil {
		// storage-go closes the body only when it decodes an answer.
		defer resp.Body.Close()
		fields["status"] = resp.StatusCode
	}
	tflog.Debug(ctx, "Supabase Storage request", fields)
	var se *storage_go.StorageError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &se) && resp != nil:
		return &StorageError{Method: method, Path: path, HTTPStatus: resp.StatusCode, Message: se.Message}
	default:
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
}

// Bucket is a bucket as Storage answers it (src/storage/schemas/bucket.ts).
type Bucket struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	Public           bool     `json:"public"`
	FileSizeLimit    *int64   `json:"file_size_limit"`
	AllowedMimeTypes []string `json:"allowed_mime_types"`
}

// StorageObject is an entry of POST /object/list: a file, or a folder
// (no id).
type StorageObject struct {
	Name string  `json:"name"`
	ID   *string `json:"id"`
}

// BucketPath is the path of a bucket's endpoint.
func BucketPath(id string, rest ...string) string {
	return "/" + Path(append([]string{"bucket", id}, rest...)...)
}

// CountObjects counts a bucket's objects, folder by folder, up to limit.
func (s *Storage) CountObjects(ctx context.Context, bucket string, limit int) (int, error) {
	count := 0
	folders := []string{""}
	for len(folders) > 0 && count < limit {
		prefix := folders[0]
		folders = folders[1:]
		for offset := 0; count < limit; offset += 1000 {
			var page []StorageObject
			err := s.Do(ctx, http.MethodPost, "/"+Path("object", "list", bucket), map[string]any{
				"prefix": prefix, "limit": 1000, "offset": offset, "sortBy": map[string]string{"column": "name", "order": "asc"},
			}, &page)
			if err != nil {
				return count, err
			}
			for _, o := range page {
				if o.ID == nil {
					folders = append(folders, strings.TrimPrefix(prefix+"/"+o.Name, "/"))
				} else {
					count++
				}
			}
			if len(page) < 1000 {
				break
			}
		}
	}
	return min(count, limit), nil
}
