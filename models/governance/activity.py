from odoo import api, fields, models


class SaleGovernanceActivityMixin(models.AbstractModel):
    _name = "sale.governance.activity.mixin"
    _description = "Sales Governance: to-dos for the members of a group"

    @api.model
    def _sg_schedule_group_activity(
        self,
        records,
        group,
        activity_type,
        summary,
        note=None,
        exclude=None,
        date_deadline=None,
    ):
        """Give each record one activity per active member of ``group``, in one batched
        create.

        ``records`` must be a mail.activity.mixin model; ``activity_type`` is a
        ``mail.activity.type`` record or the XML id of one. Members outside the record's
        company (when the model has a ``company_id``) are skipped; ``exclude(record)``
        may return users that must not receive it (e.g. the author of what is to be
        decided). ``summary`` (and ``note``) may be a text or a function of the record
        giving it. Returns the activities created.
        """
        Activity = self.env["mail.activity"].sudo()
        if not records or not group:
            return Activity
        if isinstance(activity_type, str):
            activity_type = self.env.ref(activity_type)
        users = group.sudo().users.filtered(lambda u: u.active and not u.share)
        if not users:
            return Activity
        model_id = self.env["ir.model"]._get_id(records._name)
        deadline = date_deadline or fields.Date.context_today(self)
        has_company = "company_id" in records._fields
        vals_list = []
        for record in records:
            members = users
            if has_company and record.company_id:
                members = members.filtered(
                    lambda u, c=record.company_id: c in u.company_ids
                )
            if exclude:
                members -= exclude(record)
            record_summary = summary(record) if callable(summary) else summary
            record_note = note(record) if callable(note) else note
            vals_list += [
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": model_id,
                    "res_id": record.id,
                    "user_id": user.id,
                    "summary": record_summary,
                    "note": record_note or False,
                    "date_deadline": deadline,
                    "automated": True,
                }
                for user in members
            ]
        if not vals_list:
            return Activity
        return Activity.with_context(mail_activity_quick_update=True).create(vals_list)
