package pagesdomain

import (
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

type domainModel struct {
	ID            types.String   `tfsdk:"id"`
	ProjectName   types.String   `tfsdk:"project_name"`
	Name          types.String   `tfsdk:"name"`
	WaitForActive types.Bool     `tfsdk:"wait_for_active"`
	Timeouts      timeouts.Value `tfsdk:"timeouts"`
	Status        types.String   `tfsdk:"status"`
	ZoneID        types.String   `tfsdk:"zone_id"`
	Validation    types.Object   `tfsdk:"validation"`
}

func (m *domainModel) fromAPI(d *domainInfo) {
	m.ID = types.StringValue(d.ID)
	m.Name = types.StringValue(d.Name)
	m.Status = types.StringValue(d.Status)
	m.ZoneID = types.StringValue(d.ZoneTag)
	v := d.ValidationData
	m.Validation = types.ObjectValueMust(validationTypes, map[string]attr.Value{
		"method": types.StringValue(v.Method), "status": types.StringValue(v.Status),
		"txt_name": types.StringValue(v.TXTName), "txt_value": types.StringValue(v.TXTValue),
		"error_message": types.StringValue(v.ErrorMessage),
	})
}
