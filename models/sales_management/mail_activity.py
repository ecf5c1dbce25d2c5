from odoo import models

from .visit_log import LOG_COMPLETES_ACTIVITY, VISIT_TYPE_XMLID


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """A 'Customer visit' activity marked done leaves a visit log for the
        salesperson."""
        visit_type = self.env.ref(VISIT_TYPE_XMLID, raise_if_not_found=False)
        visits = self.browse()
        if visit_type and not self.env.context.get(LOG_COMPLETES_ACTIVITY):
            visits = self.filtered(
                lambda a: a.activity_type_id == visit_type
                and a.res_model == "res.partner"
            )
        if visits:
            self.env["sale.governance.visit.log"]._create_from_activities(
                visits, feedback=feedback
            )
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
