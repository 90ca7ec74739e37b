// Command officehours-local runs the local stack: the local Cloudflare API,
// a PostgreSQL with the Supabase fixture and Supabase Storage's API on it,
// all on 127.0.0.1, with their state under one directory. It writes the
// connection settings as shell exports, so that terraform, wrangler, curl,
// psql and storage-js work after `source .officehours/local.env`, and
// stops them on SIGINT or SIGTERM.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localapi"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localruntime"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localstorage"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgcluster"
)

// database is the application database created in the local cluster.
const database = "officehours"

type zoneFlags []string

func (z *zoneFlags) String() string     { return strings.Join(*z, ",") }
func (z *zoneFlags) Set(v string) error { *z = append(*z, v); return nil }

func main() {
	dir := flag.String("dir", ".officehours", "directory for the API state, the database cluster and local.env")
	apiPort := flag.Int("api-port", 18787, "port of the local Cloudflare API on 127.0.0.1 (0 picks a free one)")
	dbPort := flag.Int("db-port", 54329, "port of PostgreSQL on 127.0.0.1 (0 picks a free one)")
	storagePort := flag.Int("storage-port", 54321, "port of the Supabase API (Storage under /storage/v1) on 127.0.0.1, as `supabase start` has it (0 picks a free one)")
	edgePort := flag.Int("edge-port", 8787, "port on 127.0.0.1 where requests reach the deployed Workers by their routes, as at Cloudflare's edge (0 picks a free one)")
	bareHost := flag.String("bare-host", "api-development."+localapi.DefaultZone, "hostname a request to the bare edge address (http://127.0.0.1:<edge-port>/) is taken for: the development API's")
	webPort := flag.Int("web-port", 3000, "port on 127.0.0.1 where the Pages projects' deployments are served by hostname (0 picks a free one)")
	bareWebHost := flag.String("bare-web-host", "development."+localapi.DefaultZone, "hostname a request to the bare web address (http://127.0.0.1:<web-port>/) is taken for: the development web app's domain")
	timeScale := flag.Float64("time-scale", 1, "shortens health check intervals (0.01 runs a 300 s interval every 3 s), for tests")
	noDB := flag.Bool("no-database", false, "serve only the Cloudflare API")
	var zones zoneFlags
	flag.Var(&zones, "zone", "zone to serve besides "+localapi.DefaultZone+" (repeatable)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("officehours-local: ")
	ports := ports{api: *apiPort, db: *dbPort, storage: *storagePort, edge: *edgePort, web: *webPort}
	if err := run(*dir, ports, hosts{api: *bareHost, web: *bareWebHost}, *timeScale, !*noDB, zones); err != nil {
		log.Fatal(err)
	}
}

type ports struct{ api, db, storage, edge, web int }

// hosts are what requests to the bare edge and web addresses are taken for.
type hosts struct{ api, web string }

func run(dir string, ports ports, bare hosts, timeScale float64, withDB bool, extraZones []string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	envFile := filepath.Join(dir, "local.env")
	os.Remove(envFile) // its presence means "ready"
	token, err := persistedSecret(filepath.Join(dir, "api-token"))
	if err != nil {
		return err
	}

	api, err := localapi.New(localapi.Config{
		Token:     token,
		Zones:     append([]string{localapi.DefaultZone}, extraZones...),
		StatePath: filepath.Join(dir, "cloudflare-state.json"),
		TimeScale: timeScale,
	})
	if err != nil {
		return err
	}
	baseURL, err := api.Start(fmt.Sprintf("127.0.0.1:%d", ports.api))
	if err != nil {
		return err
	}
	defer api.Close()
	log.Printf("Cloudflare API listening on %s", baseURL)

	exports := []string{
		"CLOUDFLARE_API_BASE_URL=" + baseURL,
		"CLOUDFLARE_API_TOKEN=" + token,
		"CLOUDFLARE_ACCOUNT_ID=" + api.AccountID(),
		"WRANGLER_SEND_METRICS=false",
		"WRANGLER_SEND_ERROR_REPORTS=false",
		"WRANGLER_HIDE_BANNER=true",
	}
	var zoneNames []string
	for _, z := range api.Zones() {
		zoneNames = append(zoneNames, z.Name)
		exports = append(exports, "OFFICEHOURS_ZONE_ID_"+envName(z.Name)+"="+z.ID)
	}
	exports = append(exports, "OFFICEHOURS_ZONE_NAME="+zoneNames[0], "OFFICEHOURS_ZONE_ID="+api.Zones()[0].ID,
		"OFFICEHOURS_ZONES="+strings.Join(zoneNames, ","))

	if withDB {
		cluster, stop, err := startDatabase(dir, ports.db)
		if err != nil {
			return err
		}
		defer stop()
		exports = append(exports, "SUPABASE_DB_URL="+cluster.URL(database))
		supabase, stopStorage, err := startStorage(dir, cluster, ports.storage)
		if err != nil {
			return err
		}
		defer stopStorage()
		exports = append(exports, supabase...)
	}

	edge, stopEdge, err := startRuntime(dir, api, ports.edge, bare.api)
	if err != nil {
		return err
	}
	defer stopEdge()
	exports = append(exports, edge...)
	webURL, stopWeb, err := serve("web app", ports.web, localruntime.Pages(api.PagesSites(), bare.web, log.Default()))
	if err != nil {
		return err
	}
	defer stopWeb()
	log.Printf("web apps listening on %s (a bare request goes to %s)", webURL, bare.web)
	exports = append(exports, "OFFICEHOURS_WEB_URL="+webURL)

	if err := writeEnv(envFile, exports); err != nil {
		return err
	}
	log.Printf("ready: source %s", envFile)

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
	log.Printf("stopping")
	os.Remove(envFile)
	return nil
}

func startDatabase(dir string, port int) (*pgcluster.Cluster, func(), error) {
	password, err := persistedSecret(filepath.Join(dir, "db-password"))
	if err != nil {
		return nil, nil, err
	}
	ctx := context.Background()
	cluster, err := pgcluster.Start(ctx, pgcluster.Options{
		Dir: filepath.Join(dir, "postgres"), Port: port, Password: password, Log: log.Writer(),
	})
	if err != nil {
		return nil, nil, fmt.Errorf("starting PostgreSQL: %w", err)
	}
	stop := func() {
		if err := cluster.Stop(); err != nil {
			log.Printf("stopping PostgreSQL: %v", err)
		}
	}
	if _, err := cluster.CreateDatabase(ctx, database); err != nil && !strings.Contains(err.Error(), "already exists") {
		stop()
		return nil, nil, fmt.Errorf("creating database %s: %w", database, err)
	}
	log.Printf("PostgreSQL listening on 127.0.0.1:%d, database %s", cluster.Port(), database)
	return cluster, stop, nil
}

// startStorage serves Supabase Storage's API for the database, and returns
// the exports `supabase start` prints for it: the API URL, the anon and
// service_role keys (JWTs signed with the stack's JWT secret, with the role
// claim and the far-off expiry of the CLI's demo keys) and the secret.
func startStorage(dir string, cluster *pgcluster.Cluster, port int) ([]string, func(), error) {
	secret, err := persistedSecret(filepath.Join(dir, "jwt-secret"))
	if err != nil {
		return nil, nil, err
	}
	keys := map[string]string{}
	for _, role := range []string{"anon", "service_role"} {
		if keys[role], err = localstorage.Sign([]byte(secret), localstorage.Claims{Issuer: "supabase-demo", Role: role, Expires: 1983812996}); err != nil {
			return nil, nil, err
		}
	}
	pool, err := pgxpool.New(context.Background(), cluster.StorageURL(database))
	if err != nil {
		return nil, nil, err
	}
	storage, err := localstorage.New(localstorage.Config{DB: pool, JWTSecret: []byte(secret), Dir: filepath.Join(dir, "storage")})
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	url, err := storage.Start(fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	log.Printf("Supabase Storage listening on %s%s", url, localstorage.Prefix)
	stop := func() {
		storage.Close()
		pool.Close()
	}
	return []string{"SUPABASE_URL=" + url, "SUPABASE_ANON_KEY=" + keys["anon"], "SUPABASE_SERVICE_ROLE_KEY=" + keys["service_role"],
		"SUPABASE_JWT_SECRET=" + secret}, stop, nil
}

// startRuntime runs the deployed Workers in Miniflare behind the edge on
// 127.0.0.1:port. Without Node.js it says so and the rest of the stack runs.
func startRuntime(dir string, api *localapi.Server, port int, bareHost string) ([]string, func(), error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rt, err := localruntime.Start(ctx, localruntime.Options{
		API: api, Dir: filepath.Join(dir, "workers"), Logs: log.Writer(), BareHost: bareHost,
	})
	if errors.Is(err, localruntime.ErrNoNode) {
		log.Printf("Workers are not run: %v", err)
		return nil, func() {}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	api.SetOrigins(rt.Origins()) // health checks probe through the edge
	url, stop, err := serve("Workers edge", port, rt.Edge())
	if err != nil {
		rt.Close()
		return nil, nil, err
	}
	log.Printf("Workers edge listening on %s (a bare request goes to %s)", url, bareHost)
	return []string{"OFFICEHOURS_EDGE_URL=" + url}, func() { stop(); rt.Close() }, nil
}

// serve serves h on 127.0.0.1:port in the background.
func serve(what string, port int, h http.Handler) (string, func(), error) {
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return "", nil, fmt.Errorf("the %s: %w", what, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(l) }()
	return "http://" + l.Addr().String(), func() { _ = srv.Close() }, nil
}

// persistedSecret reads a secret kept in path, creating it the first time,
// so the stack keeps its token and password across restarts.
func persistedSecret(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err == nil {
		return strings.TrimSpace(string(data)), nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	secret := hex.EncodeToString(b)
	return secret, os.WriteFile(path, []byte(secret+"\n"), 0o600)
}

func writeEnv(path string, exports []string) error {
	var b strings.Builder
	b.WriteString("# Written by officehours-local; `source` it to reach the local stack.\n")
	for _, e := range exports {
		name, value, _ := strings.Cut(e, "=")
		fmt.Fprintf(&b, "export %s='%s'\n", name, value)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// envName turns a zone name into a variable-name suffix.
func envName(zone string) string {
	return strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(zone))
}
