package localapi

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi/core"
)

// adminPrefix holds the endpoints that are not Cloudflare's: they let
// scripts and benchmarks in other processes read the request log and switch
// faults. They need the same token and are neither counted nor faulted.
const adminPrefix = "/__local/"

func (s *Server) registerAdmin() {
	s.env.Mux.HandleFunc("GET "+adminPrefix+"requests", func(w http.ResponseWriter, r *http.Request) {
		core.WriteResult(w, http.StatusOK, s.requests.Counts(), nil)
	})
	s.env.Mux.HandleFunc("DELETE "+adminPrefix+"requests", func(w http.ResponseWriter, r *http.Request) {
		s.requests.Reset()
		core.WriteResult(w, http.StatusOK, nil, nil)
	})
	s.env.Mux.HandleFunc("PUT "+adminPrefix+"propagation", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			DelayMS int64 `json:"delay_ms"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.DelayMS < 0 {
			core.WriteError(w, core.ErrMalformedJSON)
			return
		}
		s.env.SetPropagationDelay(time.Duration(body.DelayMS) * time.Millisecond)
		core.WriteResult(w, http.StatusOK, body, nil)
	})
	s.env.Mux.HandleFunc("PUT "+adminPrefix+"faults", func(w http.ResponseWriter, r *http.Request) {
		var f Faults
		if err := json.NewDecoder(r.Body).Decode(&f); err != nil {
			core.WriteError(w, core.ErrMalformedJSON)
			return
		}
		s.SetFaults(f)
		core.WriteResult(w, http.StatusOK, f, nil)
	})
}
