from odoo import fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    governed = fields.Boolean(
        string="Under the Sales Policy",
        default=True,
        tracking=True,
        help="Orders of this team follow the sales management policy (approvals, credit, delivery "
        "gate). Switch it off for channels kept out of the policy, such as eCommerce or point of "
        "sale. Changing it affects orders created (or moved to this team) afterwards.",
    )
