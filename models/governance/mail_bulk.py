"""Chatter notes and activities for thousands of records at once (the nightly and hourly
jobs).

Odoo's ``_message_log_batch`` and ``activity_schedule`` already create in one call, but
they sanitize every body / note and compute every activity's document name one record at
a time: for 20,000 records that is tens of seconds. These helpers produce the same
records in a number of queries independent of the number of records. They do not check
access rights: call them from code that has already decided (scheduled actions, the
addon's own actions).
"""

from collections import Counter

from markupsafe import escape

from odoo import fields, models
from odoo.tools import SQL
from odoo.tools.mail import generate_tracking_message_id


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _sg_log_notes(self, bodies):
        """Log ``bodies`` ({record id: plain text}) as internal notes by the current
        user, like ``_message_log_batch``, with one INSERT. The texts are escaped, never
        interpreted."""
        if not bodies:
            return
        author_id, email_from = self._message_compute_author(
            None, None, raise_on_email=False
        )
        reply_to = self.env["mail.thread"]._notify_get_reply_to(default=email_from)[
            False
        ]
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        now = fields.Datetime.now()
        res_ids = list(bodies)
        texts = [str(escape(bodies[res_id])) for res_id in res_ids]
        self.env["mail.message"].flush_model()
        self.env.cr.execute(
            SQL(
                "INSERT INTO mail_message (model, res_id, body, message_type, "
                "is_internal, subtype_id, author_id, email_from, reply_to, "
                "message_id, email_add_signature, reply_to_force_new, date, "
                "create_uid, write_uid, create_date, write_date) SELECT %(model)s, "
                "v.res_id, v.body, 'notification', TRUE, %(subtype)s, %(author)s, "
                "%(email_from)s, %(reply_to)s, %(message_id)s, FALSE, FALSE, %(now)s, "
                "%(uid)s, %(uid)s, %(now)s, %(now)s FROM unnest(%(res_ids)s::int[], "
                "%(texts)s::text[]) AS v(res_id, body)",
                model=self._name,
                subtype=subtype_id or None,
                author=author_id or None,
                email_from=email_from or None,
                reply_to=reply_to or None,
                message_id=generate_tracking_message_id("message-notify"),
                now=now,
                uid=self.env.uid,
                res_ids=res_ids,
                texts=texts,
            )
        )
        self.env["mail.message"].invalidate_model()
        self.invalidate_model(["message_ids"])


class MailActivityMixin(models.AbstractModel):
    _inherit = "mail.activity.mixin"

    def _sg_schedule_activities(
        self, act_type_xmlid, users, date_deadline, summary=False, note=False
    ):
        """One activity of type ``act_type_xmlid`` per record of ``self``, for the user
        at the same position in the list ``users`` (or for ``users`` when it is one
        ``res.users`` record).

        The result is what ``activity_schedule`` gives with
        ``mail_activity_quick_update`` (no notification e-mail: the user sees the
        activities in the activity menu; the user follows the document with the default
        subtypes; the activity counter of the user is refreshed), written with one
        INSERT for the activities and two for the followers, whatever the number of
        records. ORM creation costs about a millisecond per activity (defaults,
        inverses, computed names), which the nightly jobs cannot afford for tens of
        thousands of them.
        """
        if not self:
            return self.env["mail.activity"]
        activity_type = self.env.ref(act_type_xmlid)
        if isinstance(users, models.BaseModel):
            users = [users.ensure_one()] * len(self)
        users = list(users)
        if len(users) != len(self) or not all(users):
            raise ValueError("one user per record is required")
        Activity = self.env["mail.activity"]
        Users = self.env["res.users"].sudo().browse({user.id for user in users})
        Users.fetch(["tz", "partner_id", "share"])
        tz_by_user = {user.id: user.tz or None for user in Users}
        names = {record.id: record.display_name for record in self.sudo()}
        note = note or activity_type.default_note or None
        if note:
            note = Activity._fields["note"].convert_to_column(
                note, Activity
            )  # sanitized once
        now = fields.Datetime.now()
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                "INSERT INTO mail_activity (res_model_id, res_model, res_id, "
                "res_name, activity_type_id, summary, note, date_deadline, automated, "
                "active, user_id, user_tz, create_uid, write_uid, create_date, "
                "write_date) SELECT %(model_id)s, %(model)s, v.res_id, v.res_name, "
                "%(type)s, %(summary)s, %(note)s, %(deadline)s, TRUE, TRUE, "
                "v.user_id, v.tz, %(uid)s, %(uid)s, %(now)s, %(now)s FROM "
                "unnest(%(res_ids)s::int[], %(names)s::varchar[], "
                "%(user_ids)s::int[], %(tzs)s::varchar[]) WITH ORDINALITY AS "
                "v(res_id, res_name, user_id, tz, ord) ORDER BY v.ord RETURNING id",
                model_id=self.env["ir.model"]._get_id(self._name),
                model=self._name,
                type=activity_type.id,
                summary=summary or activity_type.summary or None,
                note=note,
                deadline=date_deadline,
                uid=self.env.uid,
                now=now,
                res_ids=self.ids,
                names=[names[record_id] for record_id in self.ids],
                user_ids=[user.id for user in users],
                tzs=[tz_by_user[user.id] for user in users],
            )
        )
        activities = Activity.browse([row[0] for row in cr.fetchall()])
        # The assignees follow the documents (existing followers are kept as they are).
        Subtype = self.env["mail.message.subtype"]
        all_subtypes, _internal, external = Subtype.default_subtypes(self._name)
        partner_ids = [user.partner_id.id for user in users]
        cr.execute(
            SQL(
                "INSERT INTO mail_followers (res_model, res_id, partner_id) SELECT "
                "DISTINCT %(model)s, v.res_id, v.partner_id FROM "
                "unnest(%(res_ids)s::int[], %(partner_ids)s::int[]) AS v(res_id, "
                "partner_id) ON CONFLICT (res_model, res_id, partner_id) DO NOTHING "
                "RETURNING id, partner_id",
                model=self._name,
                res_ids=self.ids,
                partner_ids=partner_ids,
            )
        )
        followers = cr.fetchall()
        if followers:
            share_partners = {user.partner_id.id for user in Users if user.share}
            rel_follower_ids, rel_subtype_ids = [], []
            for follower_id, partner_id in followers:
                subtypes = external if partner_id in share_partners else all_subtypes
                rel_follower_ids += [follower_id] * len(subtypes)
                rel_subtype_ids += subtypes.ids
            cr.execute(
                SQL(
                    "INSERT INTO mail_followers_mail_message_subtype_rel"
                    " (mail_followers_id, mail_message_subtype_id)"
                    " SELECT * FROM unnest(%s::int[], %s::int[])",
                    rel_follower_ids,
                    rel_subtype_ids,
                )
            )
        self.env["mail.activity"].invalidate_model()
        self.env["mail.followers"].invalidate_model()
        # only what the new activities and followers change (the documents' other
        # values in cache stay valid: no re-read of them afterwards)
        self.invalidate_recordset(
            [
                fname
                for fname in self._fields
                if fname.startswith(("activity_", "my_activity_", "message_"))
            ]
        )
        if date_deadline <= fields.Date.today():
            counts = Counter(user.id for user in users)
            for user in Users:
                user._bus_send(
                    "mail.activity/updated",
                    {"activity_created": True, "count_diff": counts[user.id]},
                )
        return activities

    def _sg_schedule_activities_to(
        self, act_type_xmlid, user_of, date_deadline, summary=False
    ):
        """:meth:`_sg_schedule_activities` for the records of ``self`` to which
        ``user_of`` ({record: user} or a function of the record) gives a user; the
        others get none. Returns the records that got one."""
        users = user_of if isinstance(user_of, dict) else {r: user_of(r) for r in self}
        assigned = self.filtered(lambda record: users.get(record))
        assigned._sg_schedule_activities(
            act_type_xmlid,
            [users[record] for record in assigned],
            date_deadline,
            summary=summary,
        )
        return assigned

    def _sg_unlink_activities(self, act_type_xmlid, automated_only=True):
        """What ``activity_unlink([act_type_xmlid])`` does on ``self`` (the automated,
        active activities of that type are deleted, their users' activity counters
        refreshed), with one DELETE instead of a search, a read and the ORM's unlink.

        With ``automated_only=False`` every active activity of that type goes, the
        ones a user scheduled by hand too. Returns the ids of the records of ``self``
        that had such an activity."""
        if not self or (
            automated_only and self.env.context.get("mail_activity_automation_skip")
        ):
            return set()
        type_id = self.env["ir.model.data"]._xmlid_to_res_id(
            act_type_xmlid, raise_if_not_found=False
        )
        if not type_id:
            return set()
        Activity = self.env["mail.activity"]
        Activity.flush_model()
        cr = self.env.cr
        cr.execute(
            SQL(
                "DELETE FROM mail_activity WHERE res_model = %(model)s"
                " AND res_id = ANY(%(res_ids)s) AND activity_type_id = %(type)s"
                " AND active%(automated)s RETURNING id, user_id, date_deadline, res_id",
                model=self._name,
                res_ids=self.ids,
                type=type_id,
                automated=SQL(" AND automated") if automated_only else SQL(),
            )
        )
        rows = cr.fetchall()
        Activity.invalidate_model()
        self.invalidate_recordset(
            [
                fname
                for fname in self._fields
                if fname.startswith(("activity_", "my_activity_"))
            ]
        )
        if not rows:
            return set()
        # what the ORM's unlink also removes: files attached to the activities
        activity_ids = [row[0] for row in rows]
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", "mail.activity"), ("res_id", "in", activity_ids)]
        ).unlink()
        today = fields.Date.today()
        counts = Counter(
            user_id
            for _id, user_id, deadline, _res_id in rows
            if user_id and deadline <= today
        )
        for user in self.env["res.users"].sudo().browse(counts):
            user._bus_send(
                "mail.activity/updated",
                {"activity_deleted": True, "count_diff": -counts[user.id]},
            )
        return {row[3] for row in rows}
