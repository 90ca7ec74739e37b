package clients

import (
	"errors"
	"net/http"
	"strings"

	"github.com/cloudflare/cloudflare-go/v7"
	"github.com/cloudflare/cloudflare-go/v7/option"
)

// DefaultBaseURL is Cloudflare's v4 API.
const DefaultBaseURL = "https://api.cloudflare.com/client/v4"

// CloudflareConfig is the resolved `cloudflare` provider block.
type CloudflareConfig struct {
	APIToken          string
	AccountID         string
	BaseURL           string
	RequestsPerSecond float64
	MaxRetries        int
}

// Cloudflare is the configured Cloudflare client.
type Cloudflare struct {
	// API is Cloudflare's SDK; its own retries are off because the shared
	// transport retries.
	API       *cloudflare.Client
	AccountID string
	BaseURL   string
	transport *transport
}

func newCloudflare(cfg CloudflareConfig) *Cloudflare {
	t := newTransport(cfg.RequestsPerSecond, cfg.MaxRetries, cfg.APIToken)
	httpClient := &http.Client{Transport: t, Timeout: requestTimeout}
	api := cloudflare.NewClient(
		option.WithBaseURL(cfg.BaseURL),
		option.WithAPIToken(cfg.APIToken),
		// Credentials of other kinds from the environment must not ride along.
		option.WithHeaderDel("X-Auth-Key"),
		option.WithHeaderDel("X-Auth-Email"),
		option.WithHeaderDel("X-Auth-User-Service-Key"),
		option.WithHTTPClient(httpClient),
		option.WithMaxRetries(0),
	)
	return &Cloudflare{API: api, AccountID: cfg.AccountID, BaseURL: strings.TrimSuffix(cfg.BaseURL, "/"), transport: t}
}

// Retries is how many requests the shared transport sent again.
func (c *Cloudflare) Retries() int64 { return c.transport.Retries() }

// APIErrorCodes returns the Cloudflare error codes in err and its HTTP status
// (0 when err is not an API answer).
func APIErrorCodes(err error) (status int, codes []int) {
	var apiErr *cloudflare.Error
	if !errors.As(err, &apiErr) {
		return 0, nil
	}
	for _, e := range apiErr.Errors {
		codes = append(codes, int(e.Code))
	}
	return apiErr.StatusCode, codes
}

// HasCode reports whether err is an API answer carrying code.
func HasCode(err error, code int) bool {
	_, codes := APIErrorCodes(err)
	for _, c := range codes {
		if c == code {
			return true
		}
	}
	return false
}

// IsNotFound reports whether err is an HTTP 404 from the API.
func IsNotFound(err error) bool {
	status, _ := APIErrorCodes(err)
	return status == http.StatusNotFound
}

// IsAmbiguous reports whether a request may or may not have taken effect:
// the connection broke or the server failed after receiving it.
func IsAmbiguous(err error) bool {
	status, _ := APIErrorCodes(err)
	return status >= 500 || (status == 0 && err != nil)
}
