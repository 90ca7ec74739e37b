# Values the benchmark gives the production environment, in place of the
# credentials its platform workflow passes as TF_VAR_*: placeholders that
# pass the environment's validation, nothing real.
secrets = {
  SUPABASE_SERVICE_ROLE_KEY = "bench-service-role-key"
  SUPABASE_JWT_SECRET       = "bench-jwt-secret"
  GOOGLE_CLIENT_SECRET      = "bench-google-client-secret"
  MICROSOFT_CLIENT_SECRET   = "bench-microsoft-client-secret"
  AIRTABLE_API_KEY          = "bench-airtable-api-key"
  JWT_SECRET                = "bench-jwt-secret-2"
  WEBHOOK_SECRET            = "bench-webhook-secret"
}
supabase_url      = "https://benchbenchbench.supabase.co"
supabase_anon_key = "bench-anon-key"
