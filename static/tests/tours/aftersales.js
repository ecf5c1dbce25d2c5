/** @odoo-module **/
// After-sales: the technician the ticket was routed to starts and resolves it; the salesperson
// closes it and records the customer's satisfaction of the follow-up
// (tests/aftersales/test_tours.py).

import {headerButton} from "@sale_governance/../tests/tours/tour_utils";
import {registry} from "@web/core/registry";

const tours = registry.category("web_tour.tours");

tours.add("sale_governance_ticket_resolve", {
    steps: () => [
        ...headerButton("action_start", "Start the work"),
        {
            content: "Open the Resolution tab",
            trigger: ".o_form_view .o_notebook a:contains(Resolution)",
            run: "click",
        },
        {
            content: "Focus the resolution (the editor creates its first paragraph)",
            trigger: ".o_form_view div[name=resolution] .odoo-editor-editable",
            run: "click",
        },
        {
            content: "Write what was found and done",
            trigger:
                ".o_form_view div[name=resolution] .odoo-editor-editable[spellcheck=true]",
            run: "editor Replaced the shaft seal at the customer's site",
        },
        ...headerButton("action_resolve", "Resolve"),
    ],
});

tours.add("sale_governance_ticket_close", {
    steps: () => [
        ...headerButton("action_close", "Close the resolved ticket"),
        {
            content: "Open the customer's feedback",
            trigger: ".o_form_view .o_notebook a:contains(Customer Feedback)",
            run: "click",
        },
        {
            content: "Satisfaction at the follow-up visit",
            trigger: ".o_form_view div[name=satisfaction_rating] input",
            run: "edit 5",
        },
        {
            trigger: ".o_form_view div[name=satisfaction_comment] textarea",
            run: "edit Very quick service",
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
