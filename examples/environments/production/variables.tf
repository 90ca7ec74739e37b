variable "secrets" {
  description = "The API worker's secrets as a map by name (TF_VAR_secrets, JSON): SUPABASE_SERVICE_ROLE_KEY, SUPABASE_JWT_SECRET, GOOGLE_CLIENT_SECRET, MICROSOFT_CLIENT_SECRET, AIRTABLE_API_KEY, JWT_SECRET and WEBHOOK_SECRET. Never stored in the plan or the state."
  type        = map(string)
  sensitive   = true
  ephemeral   = true
}

variable "secret_versions" {
  description = "Version per secret name (default 1): bump one after changing that secret's value, so that it is written again."
  type        = map(number)
  default     = {}
}

variable "supabase_anon_key" {
  description = "The production Supabase project's anon key (TF_VAR_supabase_anon_key), the web app's VITE_SUPABASE_ANON_KEY. Never stored in the plan or the state."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "supabase_url" {
  description = "URL of the production Supabase project, for example https://abcdefghijklmnop.supabase.co (TF_VAR_supabase_url)."
  type        = string
}

variable "github_repository" {
  description = "The repository (owner/name) the Pages project builds the web app from; the platform workflow passes its own."
  type        = string
  default     = "youcanjustdothings/cf-office-hours"
}

variable "alert_emails" {
  description = "Who is alerted when the API's health check fails 3 probes in a row (every 5 minutes), and when it recovers."
  type        = list(string)
  default     = ["oncall@youcanjustdothings.io"]
}
