# To keep the state in Terraform Cloud, uncomment the block and set TF_CLOUD_ORGANIZATION (examples/workflows/platform.yml does both when that repository variable is set); otherwise the state is local.
# terraform {
#   cloud {
#     workspaces {
#       name = "cf-office-hours-production"
#     }
#   }
# }
