/** @odoo-module **/
// Credit sale in the standard screens: the salesperson applies for credit from the quotation,
// the sales manager submits, the credit controller approves; the warehouse's delivery above
// the approved quantity is refused, then shipped within it (tests/credit/test_tours.py).

import {headerButton} from "@sale_governance/../tests/tours/tour_utils";
import {registry} from "@web/core/registry";

const tours = registry.category("web_tour.tours");

tours.add("sale_governance_credit_apply", {
    steps: () => [
        {
            content: "Apply for credit from the credit-sale quotation",
            trigger:
                ".o_form_view .o_statusbar_buttons " +
                "button[name=action_create_credit_application]",
            run: "click",
        },
        {
            content: "The draft application carries the quotation's lines",
            trigger:
                ".o_form_view div[name=line_ids] .o_data_row:contains(Governed Product)",
        },
        {
            content: "Give the reason",
            trigger: ".o_form_view div[name=reason] textarea",
            run: "edit Seasonal order of a long-standing customer",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger:
                ".o_form_view:not(:has(.o_form_status_indicator_buttons:not(.invisible)))",
        },
    ],
});

tours.add("sale_governance_credit_submit", {
    steps: () => headerButton("action_submit", "Submit the application"),
});

tours.add("sale_governance_credit_approve", {
    steps: () => [
        {
            content: "The controller sees the customer's exposure",
            trigger: ".o_form_view .o_notebook a:contains(Customer Exposure)",
            run: "click",
        },
        ...headerButton("action_approve", "Approve the application"),
    ],
});

const QUANTITY_CELL =
    ".o_form_view div[name=move_ids_without_package] .o_data_row:first td[name=quantity]";

tours.add("sale_governance_credit_delivery", {
    steps: () => [
        {
            content: "Ship more than approved: 12 where 10 are approved",
            trigger: QUANTITY_CELL,
            run: "click",
        },
        {
            trigger: `${QUANTITY_CELL} input`,
            run: "edit 12",
        },
        {
            content: "Validate",
            trigger: ".o_form_view .o_statusbar_buttons button[name=button_validate]",
            run: "click",
        },
        {
            content: "Refused: the gate says how much is too many",
            trigger: ".modal:contains(too many)",
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Ship what is approved",
            trigger: `body:not(:has(.modal)) ${QUANTITY_CELL}`,
            run: "click",
        },
        {
            trigger: `${QUANTITY_CELL} input`,
            run: "edit 10",
        },
        {
            content: "Validate again",
            trigger: ".o_form_view .o_statusbar_buttons button[name=button_validate]",
            run: "click",
        },
        {
            content: "Shipped",
            trigger:
                ".o_form_view:not(:has(button[name=button_validate])) " +
                ".o_statusbar_status button[aria-checked=true]:contains(Done)",
        },
    ],
});
