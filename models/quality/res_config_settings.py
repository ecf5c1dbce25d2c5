from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sg_spot_check_count = fields.Integer(related="company_id.sg_spot_check_count", readonly=False)
    sg_spot_check_interval = fields.Integer(
        string="Spot Check Every (days)",
        default=lambda self: self._sg_spot_check_cron().interval_number or 15,
        help="Interval of the scheduled stock spot checks (in principle twice a month: 15 days).",
    )

    @api.model
    def _sg_spot_check_cron(self):
        return self.env.ref("sale_governance.ir_cron_spot_checks", raise_if_not_found=False).sudo()

    @api.constrains("sg_spot_check_interval", "sg_spot_check_count")
    def _check_sg_spot_check(self):
        for settings in self:
            if settings.sg_spot_check_interval < 1 or settings.sg_spot_check_count < 0:
                raise ValidationError(
                    _("Spot checks: the interval must be at least one day and the number of "
                      "products cannot be negative.")
                )

    def set_values(self):
        super().set_values()
        cron = self._sg_spot_check_cron()
        if cron and self.sg_spot_check_interval and (
            cron.interval_number != self.sg_spot_check_interval or cron.interval_type != "days"
        ):
            cron.write({"interval_number": self.sg_spot_check_interval, "interval_type": "days"})
