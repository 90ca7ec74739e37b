package storagebucket_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/youcanjustdothings/terraform-provider-officehours/internal/acctest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/localstorage"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/pgtest"
	"github.com/youcanjustdothings/terraform-provider-officehours/internal/storagejs"
)

const (
	alice = "00000000-0000-4000-8000-00000000000a"
	bob   = "00000000-0000-4000-8000-00000000000b"
)

// avatars is CF Office Hours' bucket: public to read, and a user may add,
// replace and delete only the objects under their own folder.
func avatars(s *acctest.Storage, db *pgtest.DB) string {
	own := "bucket_id = 'avatars' and (storage.foldername(name))[1] = auth.uid()::text"
	return acctest.Providers{Storage: s, DatabaseURL: db.URL}.Block() + fmt.Sprintf(`
resource "officehours_storage_bucket" "avatars" {
  name               = "avatars"
  public             = true
  allowed_mime_types = ["image/*"]
  force_destroy      = true # the test leaves avatars in it
}

resource "officehours_rls_policy" "upload" {
  schema     = "storage"
  table      = "objects"
  name       = "Users upload their own avatar"
  command    = "INSERT"
  roles      = ["authenticated"]
  with_check = %[1]q
}

resource "officehours_rls_policy" "replace" {
  schema     = "storage"
  table      = "objects"
  name       = "Users replace their own avatar"
  command    = "UPDATE"
  roles      = ["authenticated"]
  using      = %[1]q
  with_check = %[1]q
}

resource "officehours_rls_policy" "remove" {
  schema  = "storage"
  table   = "objects"
  name    = "Users delete their own avatar"
  command = "DELETE"
  roles   = ["authenticated"]
  using   = %[1]q
}
`, own)
}

// The script every user's requests come from: Supabase's own client,
// @supabase/storage-js, against the local Storage API.
const script = `import { StorageClient } from "storage-js"
const as = (key) => new StorageClient(process.env.STORAGE_URL, { apikey: key, Authorization: "Bearer " + key })
const service = as(process.env.SERVICE_KEY), alice = as(process.env.ALICE_TOKEN), bob = as(process.env.BOB_TOKEN), anon = as(process.env.ANON_KEY)
const png = () => new Blob(["png"], { type: "image/png" })
const err = (r) => r.error ? { message: r.error.message, statusCode: r.error.statusCode } : null
const out = {}
out.create = err(await service.createBucket("docs", { public: false }))
const listed = await service.listBuckets()
out.buckets = listed.data ? listed.data.map((b) => b.id).sort() : err(listed)
out.aliceOwn = err(await alice.from("avatars").upload(process.env.ALICE_ID + "/me.png", png()))
out.aliceIntoBobs = err(await alice.from("avatars").upload(process.env.BOB_ID + "/me.png", png()))
out.bobOwn = err(await bob.from("avatars").upload(process.env.BOB_ID + "/me.png", png()))
out.anon = err(await anon.from("avatars").upload("anyone/me.png", png()))
out.text = err(await alice.from("avatars").upload(process.env.ALICE_ID + "/notes.txt", new Blob(["hi"], { type: "text/plain" })))
const removed = await bob.from("avatars").remove([process.env.ALICE_ID + "/me.png"])
out.bobRemovesAlices = removed.data ? removed.data.length : err(removed)
const url = alice.from("avatars").getPublicUrl(process.env.ALICE_ID + "/me.png").data.publicUrl
out.publicRead = await (await fetch(url)).text()
console.log(JSON.stringify(out))
`

// The policies Terraform applies decide what three users may do through
// Supabase's own client: each writes only under their own folder, the
// anonymous key nowhere, and the bucket's MIME types hold for all.
func TestAccStorageBucket_policiesThroughStorageJS(t *testing.T) {
	db := pgtest.NewDB(t)
	s := acctest.NewStorage(t, db.URL, time.Second)
	acctest.Test(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: avatars(s, db),
			Check: func(*terraform.State) error {
				raw := storagejs.Run(t, script,
					"STORAGE_URL="+s.URL+localstorage.Prefix, "SERVICE_KEY="+s.ServiceKey, "ANON_KEY="+s.AnonKey,
					"ALICE_TOKEN="+s.Token(t, alice, "authenticated"), "BOB_TOKEN="+s.Token(t, bob, "authenticated"),
					"ALICE_ID="+alice, "BOB_ID="+bob)
				var out struct {
					Create, AliceOwn, BobOwn, AliceIntoBobs, Anon, Text *struct {
						Message    string `json:"message"`
						StatusCode string `json:"statusCode"`
					}
					Buckets          []string
					BobRemovesAlices int
					PublicRead       string
				}
				if err := json.Unmarshal([]byte(raw[strings.LastIndex(strings.TrimSpace(raw), "\n")+1:]), &out); err != nil {
					return fmt.Errorf("storage-js printed %s: %w", raw, err)
				}
				switch {
				case out.Create != nil || strings.Join(out.Buckets, ",") != "avatars,docs":
					return fmt.Errorf("the service key: create %+v, buckets %v", out.Create, out.Buckets)
				case out.AliceOwn != nil || out.BobOwn != nil:
					return fmt.Errorf("a user's own folder: alice %+v, bob %+v", out.AliceOwn, out.BobOwn)
				case out.AliceIntoBobs == nil || out.AliceIntoBobs.StatusCode != "403" || !strings.Contains(out.AliceIntoBobs.Message, "row-level security"):
					return fmt.Errorf("alice into bob's folder: %+v", out.AliceIntoBobs)
				case out.Anon == nil || out.Anon.StatusCode != "403":
					return fmt.Errorf("the anonymous key: %+v", out.Anon)
				case out.Text == nil || out.Text.StatusCode != "415":
					return fmt.Errorf("text into an image bucket: %+v", out.Text)
				case out.BobRemovesAlices != 0 || out.PublicRead != "png":
					return fmt.Errorf("bob removed %d of alice's objects; the public URL read %q", out.BobRemovesAlices, out.PublicRead)
				}
				return nil
			},
		}},
	})
}
