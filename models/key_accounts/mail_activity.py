from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """A done 'Customer visit' activity records the visit date on the customer."""
        visit_type = self.env.ref(
            "sale_governance.mail_activity_type_customer_visit",
            raise_if_not_found=False,
        )
        partner_ids = {
            activity.res_id
            for activity in self
            if visit_type
            and activity.activity_type_id == visit_type
            and activity.res_model == "res.partner"
        }
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if partner_ids:
            # the visit was done: record it even when the salesperson may not edit the
            # customer
            self.env["res.partner"].browse(partner_ids).sudo().write(
                {"ka_last_visit_date": fields.Date.context_today(self)}
            )
        return result
