/** @odoo-module **/
// Key accounts: a sales manager overrides a customer's quadrant on the Key Account tab, then
// sees the customer in the matrix (tests/key_accounts/test_tours.py).

import {registry} from "@web/core/registry";

const tours = registry.category("web_tour.tours");

tours.add("sale_governance_ka_override", {
    steps: () => [
        {
            content: "Open the Key Account tab",
            trigger: ".o_form_view .o_notebook a:contains(Key Account)",
            run: "click",
        },
        {
            content: "Override the quadrant",
            trigger: ".o_form_view button[name=action_ka_open_override]",
            run: "click",
        },
        {
            content: "Choose Star",
            trigger: ".modal div[name=quadrant] select",
            run: "selectByLabel Star",
        },
        {
            content: "Say why",
            trigger: ".modal div[name=reason] textarea",
            run: "edit Strategic partner for the new pump line",
        },
        {
            content: "Apply the override",
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "The override is shown and may be cleared",
            trigger:
                "body:not(:has(.modal)) .o_form_view button[name=action_ka_clear_override]",
        },
    ],
});

tours.add("sale_governance_ka_matrix", {
    steps: () => [
        {
            content: "The matrix view of Key Accounts is shown",
            trigger: ".o_switch_view.o_ka_matrix.active",
        },
        {
            content: "Filter the matrix on the overridden customer",
            trigger: ".o_searchview_input",
            run: "edit Tour Pumps",
        },
        {
            trigger: ".o_searchview_autocomplete .o_menu_item:first",
            run: "click",
        },
        {
            content: "The customer is a dot in the Star quadrant, alone in the picture",
            trigger:
                ".o_ka_matrix:has(text:contains(Star (1))):not(:has(circle.o_ka_dot ~ circle.o_ka_dot))" +
                " circle.o_ka_dot:has(title:contains(Tour Pumps))",
        },
        {
            content: "Hover shows its scores",
            trigger: "circle.o_ka_dot",
            run: "hover",
        },
        {
            trigger: ".o_ka_hover:contains(Tour Pumps):contains(Star)",
        },
    ],
});
