"""The addon in the policy's languages: every msgid translated in zh_CN, zh_TW and ko,
placeholders intact, and the translations actually used by messages, activities, labels
and the Sales Contract."""

import html
import importlib.util
import os
import re

import polib
from lxml import etree

from odoo.exceptions import UserError
from odoo.modules.module import get_manifest, get_module_path
from odoo.tests import tagged
from odoo.tools.translate import TranslationModuleReader, xml_translate

from ..common import SaleGovernanceCase

MODULE = "sale_governance"
# .po file -> Odoo language code
LANGS = {"zh_CN": "zh_CN", "zh_TW": "zh_TW", "ko": "ko_KR"}
CJK_OR_HANGUL = re.compile(r"[\u4e00-\u9fff\uac00-\ud7af]")


def _load_todo_tool():
    """tools/i18n_todo.py: the same checks the developers' command runs."""
    path = os.path.join(get_module_path(MODULE), "tools", "i18n_todo.py")
    spec = importlib.util.spec_from_file_location("sale_governance_i18n_todo", path)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool


@tagged("post_install", "-at_install")
class TestTranslationFiles(SaleGovernanceCase):
    """Coverage of the current code (not only of the committed .pot) in the three .po
    files."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tool = _load_todo_tool()
        cls.i18n = os.path.join(get_module_path(MODULE), "i18n")
        cls.current = cls._current_msgids()

    @classmethod
    def _demo_xmlids(cls):
        """XML ids defined by the demo files (their names are demo data, not the addon's
        strings)."""
        root = get_module_path(MODULE)
        ids = set()
        for path in get_manifest(MODULE).get("demo", []):
            if path.endswith(".xml"):
                tree = etree.parse(os.path.join(root, path))
                ids.update(
                    node.get("id").split(".")[-1]
                    for node in tree.iter()
                    if node.get("id")
                )
        return ids

    @classmethod
    def _current_msgids(cls):
        """Every translatable term of the installed addon: Python and JS code, models,
        views, data."""
        demo = cls._demo_xmlids()

        def is_demo(res_id):
            xmlid = str(res_id or "")
            if not xmlid.startswith(MODULE + "."):
                return False
            name = xmlid.split(".", 1)[1]
            return name in demo or name.removesuffix("_product_template") in demo

        terms = {}
        for (
            _module,
            _type,
            _name,
            res_id,
            src,
            _value,
            _comments,
        ) in TranslationModuleReader(cls.env.cr, modules=[MODULE], lang="en_US"):
            if src:
                terms.setdefault(src, []).append(is_demo(res_id))
        return {src for src, demo_flags in terms.items() if not all(demo_flags)}

    def _po(self, lang):
        path = os.path.join(self.i18n, "%s.po" % lang)
        self.assertTrue(
            os.path.exists(path), "i18n/%s.po is missing: run make pot" % lang
        )
        return {
            entry.msgid: entry for entry in polib.pofile(path) if not entry.obsolete
        }

    def test_pot_is_current(self):
        pot = {
            e.msgid
            for e in polib.pofile(os.path.join(self.i18n, "%s.pot" % MODULE))
            if e.msgid
        }
        missing = sorted(self.current - pot)
        self.assertFalse(
            missing,
            "i18n/%s.pot lacks %d strings of the current code (run make pot): %s"
            % (MODULE, len(missing), missing[:10]),
        )
        self.assertGreater(len(self.current), 900)

    def test_every_msgid_translated_with_placeholders_intact(self):
        for lang in LANGS:
            with self.subTest(lang=lang):
                po = self._po(lang)
                problems = []
                for msgid in sorted(self.current):
                    entry = po.get(msgid)
                    if entry is None:
                        problems.append("missing: %r" % msgid[:80])
                    elif not entry.msgstr.strip():
                        problems.append("untranslated: %r" % msgid[:80])
                    elif "fuzzy" in entry.flags:
                        problems.append("fuzzy (to review): %r" % msgid[:80])
                    else:
                        why = self.tool.broken(msgid, entry.msgstr)
                        if why:
                            problems.append("%s: %r" % (why, msgid[:80]))
                self.assertFalse(
                    problems,
                    "i18n/%s.po: %d problems (tools/i18n_todo.py lists them all): %s"
                    % (lang, len(problems), problems[:10]),
                )

    def test_placeholder_check_catches_breakage(self):
        broken = self.tool.broken
        self.assertFalse(broken("%(order)s is late", "%(order)s 已逾期"))
        self.assertTrue(broken("%(order)s is late", "%(订单)s 已逾期"))
        self.assertTrue(broken("%s of %s", "%s"))
        self.assertTrue(broken("Total: {}", "合计："))
        self.assertTrue(broken("<b>Submit</b> it", "提交"))
        self.assertFalse(broken("100%% sure", "百分之百"))


@tagged("post_install", "-at_install")
class TestTranslatedBehaviour(SaleGovernanceCase):
    """With each language active, what users read comes out in that language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Lang = cls.env["res.lang"].with_context(active_test=False)
        langs = Lang.search([("code", "in", list(LANGS.values()))])
        inactive = langs.filtered(lambda lang: not lang.active)
        if inactive:  # the demo data installs them; without demo data the test does
            inactive.active = True
            cls.env["ir.module.module"].search(
                [("name", "=", MODULE)]
            )._update_translations(inactive.mapped("code"))
        i18n = os.path.join(get_module_path(MODULE), "i18n")
        cls.po = {
            code: {
                e.msgid: e.msgstr
                for e in polib.pofile(os.path.join(i18n, "%s.po" % po_lang))
            }
            for po_lang, code in LANGS.items()
        }
        cls.product.taxes_id = False

    def _tr(self, code, msgid, **kwargs):
        translation = self.po[code][msgid]
        self.assertTrue(CJK_OR_HANGUL.search(translation), (code, msgid))
        return translation % kwargs if kwargs else translation

    def test_refusal_message(self):
        order = self._create_order()
        order.action_confirm()
        msgid = (
            "Order %(order)s is confirmed: its payment mode can no longer change. "
            "Cancel the order and set it back to quotation first."
        )
        for code in LANGS.values():
            with self.subTest(lang=code), self.assertUnchanged(order, ["payment_mode"]):
                with self.assertRaises(UserError) as cm:
                    order.with_user(self.salesman).with_context(lang=code).write(
                        {"payment_mode": "credit"}
                    )
                self.assertEqual(
                    str(cm.exception), self._tr(code, msgid, order=order.name)
                )

    def test_activity_summary(self):
        """The summary comes in the language of the person who gets the activity,
        whoever (and in whichever language) schedules it."""
        Application = self.env["sale.governance.credit.application"]
        controllers = (
            self.env.ref("sale_governance.group_credit_controller").sudo().users
        )
        msgid = "Decide the credit-sale application"
        for code in LANGS.values():
            with self.subTest(lang=code):
                controllers.lang = code
                order = self._create_order()
                order.with_user(self.salesman).payment_mode = "credit"
                action = order.with_user(
                    self.salesman
                ).action_create_credit_application()
                application = Application.browse(action["res_id"])
                actor_lang = "zh_TW" if code == "zh_CN" else "zh_CN"
                application.with_user(self.sales_manager).with_context(
                    lang=actor_lang
                ).action_submit()
                # every credit controller who may decide it gets one, in their own
                # language
                self.assertTrue(application.activity_ids)
                self.assertEqual(
                    set(application.activity_ids.mapped("summary")),
                    {self._tr(code, msgid)},
                )
        # an English reader gets the English text; a summary of one's own is left alone
        controllers.lang = "en_US"
        activity = self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": self.customer.id,
                "user_id": self.credit_ctrl.id,
                "summary": self.po["zh_CN"][msgid],
            }
        )
        self.assertEqual(activity.summary, msgid)
        self.credit_ctrl.lang = "ko_KR"
        own = activity.copy({"summary": "Call Mr Li about the pump"})
        self.assertEqual(own.summary, "Call Mr Li about the pump")

    def test_field_labels_and_selections(self):
        for code in LANGS.values():
            with self.subTest(lang=code):
                desc = (
                    self.env["sale.order"]
                    .with_context(lang=code)
                    .fields_get(
                        ["credit_application_ids", "payment_mode"],
                        ["string", "selection"],
                    )
                )
                self.assertEqual(
                    desc["credit_application_ids"]["string"],
                    self._tr(code, "Credit-Sale Applications"),
                )
                self.assertEqual(
                    dict(desc["payment_mode"]["selection"])["credit"],
                    self._tr(code, "Credit Sale"),
                )
        # Traditional Chinese is not Simplified Chinese
        self.assertNotEqual(
            self.po["zh_CN"]["Credit Sale"], self.po["zh_TW"]["Credit Sale"]
        )

    def test_sales_contract_in_customer_language(self):
        customer = self.env["res.partner"].create(
            {
                "name": "华信贸易有限公司",
                "is_company": True,
                "lang": "zh_CN",
                "city": "上海",
            }
        )
        order = self._create_order(partner=customer)
        html_bytes, _fmt = self.env["ir.actions.report"]._render_qweb_html(
            "sale_governance.action_report_sales_contract", order.ids
        )
        text = " ".join(html.unescape(html_bytes.decode()).split())
        # the terms of the contract's templates (whatever their current wording),
        # English and Chinese
        views = self.env["ir.ui.view"].search(
            [
                ("key", "like", "sale_governance.report_sales_contract%"),
                ("type", "=", "qweb"),
            ]
        )
        self.assertTrue(views)
        pairs = []
        for view in views:
            english, chinese = [], []
            xml_translate(english.append, view.with_context(lang="en_US").arch_db)
            xml_translate(chinese.append, view.with_context(lang="zh_CN").arch_db)
            self.assertEqual(len(english), len(chinese), view.key)
            pairs += [
                (" ".join(en.split()), " ".join(zh.split()))
                for en, zh in zip(english, chinese, strict=False)
                if "<" not in en and re.search("[A-Za-z]{3}", en)
            ]
        untranslated = [en for en, zh in pairs if en == zh]
        self.assertFalse(untranslated, "contract terms without zh_CN translation")
        english_left = [
            en
            for en, _zh in pairs
            if re.search(r"(?<![A-Za-z])%s(?![A-Za-z])" % re.escape(en), text)
        ]
        self.assertFalse(
            english_left, "English headings/labels in a zh_CN customer's contract"
        )
        shown = [zh for _en, zh in pairs if zh in text]
        self.assertGreaterEqual(
            len(shown), 5, "too few translated headings/labels in the contract"
        )
        # the four copies of the policy (销售部、财务部、企管部、对方客户分别留存) and
        # the title
        for word in ("销售合同", "销售部", "财务部", "企管部"):
            self.assertIn(word, text)
