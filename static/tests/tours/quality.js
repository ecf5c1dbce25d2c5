/** @odoo-module **/
// Quality gate: the inspector records the inspection of a receipt, then the warehouse
// validates the receipt (tests/quality/test_tours.py).

import {registry} from "@web/core/registry";

const tours = registry.category("web_tour.tours");

const MEASURE_CELL =
    ".o_form_view div[name=line_ids] .o_data_row:first td[name=value_input]";

tours.add("sale_governance_quality_inspect", {
    steps: () => [
        {
            content: "Enter the measured value of the checklist item",
            trigger: MEASURE_CELL,
            run: "click",
        },
        {
            trigger: `${MEASURE_CELL} input`,
            run: "edit 10",
        },
        {
            content: "Accept the whole quantity inspected",
            trigger: ".o_form_view div[name=qty_accepted] input",
            run: "edit 100",
        },
        {
            content: "Record the result",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_done]",
            run: "click",
        },
        {
            content: "Recorded: passed",
            trigger:
                ".o_form_view:not(:has(button[name=action_done])) " +
                "div[name=result]:contains(Pass)",
        },
    ],
});

tours.add("sale_governance_quality_receipt", {
    steps: () => [
        {
            content: "The receipt's inspection is done: validate it",
            trigger: ".o_form_view .o_statusbar_buttons button[name=button_validate]",
            run: "click",
        },
        {
            content: "Received",
            trigger:
                ".o_form_view:not(:has(button[name=button_validate])) " +
                ".o_statusbar_status button[aria-checked=true]:contains(Done)",
        },
    ],
});
