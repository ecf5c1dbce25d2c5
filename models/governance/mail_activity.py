from odoo import api, models
from odoo.tools.translate import code_translations

MODULE = "sale_governance"


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model_create_multi
    def create(self, vals_list):
        self._sg_summaries_in_recipient_language(vals_list)
        return super().create(vals_list)

    @api.model
    def _sg_summaries_in_recipient_language(self, vals_list):
        """The addon's fixed activity summaries ("Overdue service ticket", "Decide the
        credit-sale application", ...) are written by whoever, or whichever scheduled
        job, schedules the activity, in that language: put them in the language of the
        person who gets the activity. Summaries that are not one of this addon's fixed
        messages are left as they are."""
        todo = [
            vals for vals in vals_list if vals.get("summary") and vals.get("user_id")
        ]
        if not todo:
            return
        langs = [
            code
            for code, _name in self.env["res.lang"].get_installed()
            if code != "en_US"
        ]
        catalogs = {
            lang: code_translations.get_python_translations(MODULE, lang)
            for lang in langs
        }
        sources = {}  # any language's text -> English msgid
        for catalog in catalogs.values():
            for msgid, text in catalog.items():
                sources.setdefault(msgid, msgid)
                sources.setdefault(text, msgid)
        matched = [
            (vals, sources[vals["summary"]])
            for vals in todo
            if vals["summary"] in sources
        ]
        if not matched:
            return
        users = (
            self.env["res.users"]
            .sudo()
            .browse({vals["user_id"] for vals, _msgid in matched})
        )
        user_lang = {user.id: user.lang for user in users}
        for vals, msgid in matched:
            catalog = catalogs.get(user_lang.get(vals["user_id"]), {})
            vals["summary"] = catalog.get(msgid, msgid)
