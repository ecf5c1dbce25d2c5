/** @odoo-module **/
// Contract approval in the quotation form: the salesperson submits, each level approves
// (tests/contract_approval/test_tours.py runs them as the real users, one after the other).

import {registry} from "@web/core/registry";

const tours = registry.category("web_tour.tours");

tours.add("sale_governance_approval_submit", {
    steps: () => [
        {
            content: "The banner says the quotation needs contract approval",
            trigger: ".o_form_view .alert-warning:contains(Submit for Approval)",
        },
        {
            content: "Submit the quotation for approval",
            trigger:
                ".o_form_view .o_statusbar_buttons button[name=action_approval_submit]",
            run: "click",
        },
        {
            content:
                "Submitted: the button is gone, the quotation waits for its approvers",
            trigger:
                ".o_form_view:not(:has(button[name=action_approval_submit])) " +
                ".o_statusbar_status",
        },
    ],
});

tours.add("sale_governance_approval_approve", {
    steps: () => [
        {
            content: "It is my level's turn: approve",
            trigger:
                ".o_form_view .o_statusbar_buttons button[name=action_approval_approve]",
            run: "click",
        },
        {
            content: "Comment the decision",
            trigger: ".modal div[name=comment] textarea",
            run: "edit Checked in the browser tour",
        },
        {
            content: "Confirm the decision",
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "Decided: the dialog is closed and my level cannot act again",
            trigger:
                "body:not(:has(.modal)) " +
                ".o_form_view:not(:has(button[name=action_approval_approve])) .o_statusbar_status",
        },
    ],
});
