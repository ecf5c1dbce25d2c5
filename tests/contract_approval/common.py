from odoo import fields
from odoo.tests import new_test_user

from ..common import SaleGovernanceCase


class ApprovalCase(SaleGovernanceCase):
    """A complete contract: both parties fully described, terms filled in by company
    defaults."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.write(
            {
                "street": "8 Factory Road",
                "city": "Suzhou",
                "phone": "+86 512 0000 0000",
                "vat": "91320500TEST0001",
            }
        )
        cls.env["res.partner.bank"].create(
            [
                {
                    "acc_number": "CN-SELLER-0001",
                    "partner_id": cls.company.partner_id.id,
                },
                {"acc_number": "CN-BUYER-0001", "partner_id": cls.customer.id},
            ]
        )
        cls.company.write(
            {
                "approval_use_thresholds": False,
                "approval_allow_same_approver": False,
                "contract_quality_standard": "GB/T 3216-2016",
                "contract_acceptance_method": "Inspection at the buyer's site within "
                "7 days",
                "contract_settlement_method": "Bank transfer",
                "contract_signing_place": "Suzhou",
                "contract_dispute_resolution": "Arbitration by the Suzhou Arbitration "
                "Commission",
            }
        )
        cls.term_30 = cls.env["account.payment.term"].create(
            {
                "name": "30 Days (test)",
                "line_ids": [
                    (0, 0, {"value": "percent", "value_amount": 100.0, "nb_days": 30})
                ],
            }
        )
        cls.term_immediate = cls.env["account.payment.term"].create(
            {
                "name": "Immediate (test)",
                "line_ids": [
                    (0, 0, {"value": "percent", "value_amount": 100.0, "nb_days": 0})
                ],
            }
        )
        cls.customer.property_payment_term_id = cls.term_30
        cls.deputy = new_test_user(
            cls.env,
            login="t_deputy",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads",
            company_id=cls.company.id,
        )

    @classmethod
    def _create_contract(cls, user=None, lines=None, team=None, **vals):
        order = cls._create_order(user=user, lines=lines, team=team)
        order.write(
            {
                "commitment_date": fields.Datetime.now(),
                "payment_term_id": cls.term_30.id,
                **vals,
            }
        )
        return order

    LEVEL_NAMES = [
        "Sales Department",
        "Business Management Department",
        "Executive in Charge",
    ]

    def _set_thresholds(self, *amounts):
        """Thresholds on; the company's levels get ``amounts`` in their order."""
        self.company.approval_use_thresholds = True
        for level, amount in zip(
            self.company._sg_approval_levels(), amounts, strict=False
        ):
            level.amount_threshold = amount

    @staticmethod
    def _level_names(approvals):
        return approvals.sorted(lambda a: (a.sequence, a.id)).mapped("level_name")

    def _approve(self, order, user, comment=False):
        order.with_user(user)._sg_approval_approve(comment)

    def _approve_all(self, order):
        for user in (self.sales_manager, self.biz_reviewer, self.executive):
            self._approve(order, user)
