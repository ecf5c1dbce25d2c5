from odoo import fields, models

# The contract items Odoo lacks (004 第五条: 完整的合同要素), declared once here.
CONTRACT_TERM_FIELDS = (
    "contract_quality_standard",
    "contract_acceptance_method",
    "contract_settlement_method",
    "contract_signing_place",
    "contract_dispute_resolution",
)


class SaleGovernanceContractTermsMixin(models.AbstractModel):
    """The five contract terms of a sales contract: the company holds the defaults, the
    order its own values (proposed from its company's)."""

    _name = "sale.governance.contract.terms.mixin"
    _description = "Sales Governance: contract terms"

    contract_quality_standard = fields.Text(
        string="Quality Standard",
        help="The quality standard the goods comply with.",
    )
    contract_acceptance_method = fields.Text(string="Acceptance Method")
    contract_settlement_method = fields.Char(
        string="Settlement Method",
        help="How the customer pays: bank transfer, bank acceptance bill, letter of "
        "credit...",
    )
    contract_signing_place = fields.Char(string="Place of Signing")
    contract_dispute_resolution = fields.Text(
        string="Dispute Resolution",
        help="Place and method of dispute resolution, e.g. arbitration at a named "
        "commission.",
    )
